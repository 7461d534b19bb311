/**
 * The embed page's side of the size protocol (src/figures/embed.ts): whenever the page's height
 * changes it tells its parent, and it answers a parent's ping (the parent's resize script may load
 * after the embed). Outside a frame it does nothing.
 *
 * @module
 */
import { MESSAGE_VERSION, PING_MESSAGE, sizeMessage } from '../figures/embed';

if (window.parent !== window) {
  const post = (): void => {
    window.parent.postMessage(sizeMessage(document.body.getBoundingClientRect().height), '*');
  };
  new ResizeObserver(post).observe(document.body);
  window.addEventListener('message', (event) => {
    const data = event.data as { type?: unknown; version?: unknown } | null;
    if (event.source !== window.parent || typeof data !== 'object' || data === null) return;
    if (data.type === PING_MESSAGE && data.version === MESSAGE_VERSION) post();
  });
}
