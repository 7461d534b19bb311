/**
 * The embed page's side of the parent protocol (src/figures/embed.ts): whenever the page's height
 * changes it tells its parent, and it answers a parent's ping (the parent's resize script may load
 * after the embed). In a slide deck, the keys a presenter's remote sends (PageUp, PageDown) and the
 * arrows and space bar go to the parent when the focused control does not use them, and Escape
 * leaves a control, so that the next key moves the deck again. Outside a frame it does nothing.
 *
 * @module
 */
import {
  DECK_KEYS,
  MESSAGE_VERSION,
  PING_MESSAGE,
  focusedUsesKey,
  keyMessage,
  sizeMessage,
} from '../figures/embed';

/** The focused element, or null when nothing in the page has focus. */
function focusedControl(): HTMLElement | null {
  const active = document.activeElement;
  return active instanceof HTMLElement && active !== document.body ? active : null;
}

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

  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.isComposing) return;
    const focused = focusedControl();
    if (event.key === 'Escape') {
      focused?.blur();
      return;
    }
    // Ctrl and ⌘ combinations are the browser's and the system's, not the deck's.
    if (!Object.hasOwn(DECK_KEYS, event.key) || event.ctrlKey || event.metaKey) return;
    const described = focused && {
      tag: focused.localName,
      type: focused instanceof HTMLInputElement ? focused.type : '',
      role: focused.getAttribute('role'),
      editable: focused.isContentEditable,
    };
    if (described && focusedUsesKey(described, event.key)) return;
    event.preventDefault();
    window.parent.postMessage(keyMessage(event), '*');
  });
}
