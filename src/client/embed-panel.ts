/**
 * The "Embed" panel under a chapter's figure: the iframe snippet and the direct link for the figure's
 * current settings and the chosen display options, kept up to date while the panel is open.
 *
 * @module
 */
import { embedQuery, iframeSnippet, type EmbedOptions } from '../figures/embed';
import type { ParamsOf, Schema } from '../figures/params';

export interface EmbedFigure {
  readonly title: string;
  readonly schema: Schema;
  readonly prefix: string;
  /** Site paths of the figure's embed page and of the resize script. */
  readonly embed: { readonly path: string; readonly resizeScript: string };
}

export interface EmbedPanel {
  /** Rewrites the snippet and link (call after the figure's settings change). */
  refresh(): void;
}

/** Wires the panel inside `share` (the `.ib-share` block of Figure.astro) and shows its button. */
export function wireEmbedPanel(
  share: HTMLElement,
  figure: EmbedFigure,
  current: () => ParamsOf<Schema>,
): EmbedPanel | undefined {
  const button = share.querySelector<HTMLButtonElement>('button[data-action="embed"]');
  const panel = share.querySelector<HTMLElement>('.ib-embed');
  const code = share.querySelector<HTMLTextAreaElement>('.ib-embed-code');
  const link = share.querySelector<HTMLAnchorElement>('.ib-embed-link');
  const status = share.querySelector<HTMLElement>('.ib-embed-status');
  const copy = share.querySelector<HTMLButtonElement>('button[data-action="copy-embed"]');
  if (!button || !panel || !code || !link || !status || !copy) return undefined;
  const field = (name: string) => share.querySelector<HTMLInputElement>(`[name="${name}"]`);

  const options = (): EmbedOptions => {
    const theme = field('embed-theme')?.value;
    return {
      controls: field('embed-controls')?.checked ?? true,
      present: field('embed-present')?.checked ?? false,
      theme: theme === 'light' || theme === 'dark' ? theme : 'auto',
    };
  };

  /** The height limit typed in, if it is one: a whole number of pixels from 200 up. */
  const limit = (): { value?: number; problem?: string } => {
    const text = field('embed-max-height')?.value.trim() ?? '';
    if (text === '') return {};
    const value = Number(text);
    return Number.isFinite(value) && value >= 200
      ? { value: Math.round(value) }
      : { problem: 'Height limit: enter a number of pixels, 200 or more, or leave it empty.' };
  };

  const refresh = (): void => {
    if (panel.hidden) return;
    const chosen = options();
    const cap = limit();
    const url = new URL(figure.embed.path, location.href);
    url.search = embedQuery(figure.schema, current(), figure.prefix, chosen).toString();
    // A first guess at the height; the resize script corrects it once the embed has loaded.
    const host = share.closest('figure');
    const chart = host?.querySelector('.ib-chart')?.getBoundingClientRect().height ?? 400;
    const controls = chosen.controls
      ? (host?.querySelector('.ib-controls')?.getBoundingClientRect().height ?? 0) + 140
      : 80;
    code.value = iframeSnippet({
      src: url.href,
      title: `${figure.title} (Initbook)`,
      height: (chart + controls) * (chosen.present ? 1.3 : 1),
      resizeScript: new URL(figure.embed.resizeScript, location.href).href,
      maxHeight: cap.value,
    });
    link.href = url.href;
    status.textContent = cap.problem ?? '';
  };

  button.addEventListener('click', () => {
    panel.hidden = !panel.hidden;
    button.setAttribute('aria-expanded', String(!panel.hidden));
    refresh();
  });
  panel.addEventListener('change', refresh);
  panel.addEventListener('input', refresh);
  copy.addEventListener('click', () => {
    void (async () => {
      try {
        await navigator.clipboard.writeText(code.value);
        status.textContent = 'Copied.';
      } catch {
        // No clipboard access (an insecure origin, or permission refused): select it for the reader.
        code.focus();
        code.select();
        status.textContent = 'Selected: press Ctrl+C (⌘C on a Mac) to copy.';
      }
    })();
  });
  share.hidden = false;
  return { refresh };
}
