/**
 * `<site-search>`: the live side of components/SiteSearch.astro. Pagefind's reader is loaded from the
 * built site on first use (it is not part of the bundle: `npm run build` writes it), so the page pays
 * nothing until a reader searches, and search works offline and under any base path.
 *
 * @module
 */

interface PagefindResultData {
  readonly url: string;
  readonly excerpt: string;
  readonly meta: { readonly title?: string };
}

interface Pagefind {
  options(options: { baseUrl?: string; excerptLength?: number }): Promise<void>;
  debouncedSearch(
    term: string,
    options?: object,
    delayMs?: number,
  ): Promise<{ results: { data(): Promise<PagefindResultData> }[] } | null>;
}

/** Results shown at most; the rest would only push the list past the screen. */
const MAX_RESULTS = 8;

/** Pagefind's excerpt as nodes: its text and `<mark>`s only, never any other markup. */
function excerptNodes(html: string): Node[] {
  const template = document.createElement('template');
  template.innerHTML = html;
  return [...template.content.childNodes].map((node) =>
    node.nodeName === 'MARK'
      ? Object.assign(document.createElement('mark'), { textContent: node.textContent })
      : document.createTextNode(node.textContent ?? ''),
  );
}

class SiteSearch extends HTMLElement {
  #pagefind: Promise<Pagefind> | undefined;
  #input!: HTMLInputElement;
  #panel!: HTMLElement;
  #status!: HTMLElement;
  #list!: HTMLElement;

  connectedCallback(): void {
    const form = this.querySelector('form');
    const input = this.querySelector('input');
    const panel = this.querySelector<HTMLElement>('.site-search-panel');
    const status = this.querySelector<HTMLElement>('.site-search-status');
    const list = this.querySelector<HTMLElement>('.site-search-results');
    if (!form || !input || !panel || !status || !list) return;
    this.#input = input;
    this.#panel = panel;
    this.#status = status;
    this.#list = list;
    form.hidden = false;
    input.addEventListener('input', () => void this.#search(input.value));
    input.addEventListener('focus', () => void this.#load().catch(() => undefined));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#links()[0]?.click();
    });
    this.addEventListener('keydown', (event) => this.#onKey(event));
    this.addEventListener('focusout', (event) => {
      if (!this.contains(event.relatedTarget as Node | null)) this.#panel.hidden = true;
    });
  }

  #links(): HTMLAnchorElement[] {
    return [...this.#list.querySelectorAll('a')];
  }

  /** Arrow keys move between the field and the results; Escape closes the list and returns. */
  #onKey(event: KeyboardEvent): void {
    const links = this.#links();
    const at = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (event.key === 'Escape') {
      this.#panel.hidden = true;
      this.#input.focus();
    } else if (event.key === 'ArrowDown' && links.length > 0) {
      event.preventDefault();
      links[Math.min(at + 1, links.length - 1)]?.focus();
    } else if (event.key === 'ArrowUp' && at >= 0) {
      event.preventDefault();
      (at === 0 ? this.#input : links[at - 1])?.focus();
    }
  }

  #load(): Promise<Pagefind> {
    this.#pagefind ??= (async () => {
      const url = `${this.dataset['bundle'] ?? '/pagefind/'}pagefind.js`;
      const pagefind = (await import(/* @vite-ignore */ url)) as Pagefind;
      await pagefind.options({ baseUrl: this.dataset['base'] ?? '/', excerptLength: 24 });
      return pagefind;
    })();
    return this.#pagefind;
  }

  async #search(term: string): Promise<void> {
    const query = term.trim();
    if (query === '') {
      this.#panel.hidden = true;
      this.#list.replaceChildren();
      return;
    }
    this.#panel.hidden = false;
    let pagefind: Pagefind;
    try {
      pagefind = await this.#load();
    } catch {
      this.#pagefind = undefined;
      // The index is written by the build, so the dev server has none; a built site without one
      // was deployed without its pagefind folder.
      this.#status.textContent = import.meta.env.DEV
        ? 'Search is not available in the dev server: its index is made by the build. To search, run npm run build, then npm run preview.'
        : 'Search could not load its index: the site was published without its pagefind folder (npm run build writes it).';
      return;
    }
    const found = await pagefind.debouncedSearch(query, {}, 150);
    if (found === null || this.#input.value.trim() !== query) return; // a newer search is running
    const pages = await Promise.all(found.results.slice(0, MAX_RESULTS).map((r) => r.data()));
    if (this.#input.value.trim() !== query) return;
    this.#list.replaceChildren(
      ...pages.map((page) => {
        const item = document.createElement('li');
        const link = Object.assign(document.createElement('a'), {
          href: page.url,
          textContent: page.meta.title ?? page.url,
        });
        const excerpt = document.createElement('p');
        excerpt.append(...excerptNodes(page.excerpt));
        item.append(link, excerpt);
        return item;
      }),
    );
    const count = found.results.length;
    this.#status.textContent =
      count === 0
        ? `No pages match “${query}”.`
        : `${count} ${count === 1 ? 'page matches' : 'pages match'} “${query}”${count > MAX_RESULTS ? `; the first ${MAX_RESULTS} are listed` : ''}.`;
  }
}

if (!customElements.get('site-search')) customElements.define('site-search', SiteSearch);
