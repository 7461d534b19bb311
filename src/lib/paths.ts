/** Joins a site-relative path onto the configured base, so links work under any sub-path. */
export function withBase(path: string): string {
  const base = import.meta.env.BASE_URL.replace(/\/+$/, '');
  const rest = path.replace(/^\/+/, '');
  return `${base}/${rest}`;
}

/** The URL of a chapter page. */
export function chapterHref(id: string): string {
  return withBase(`chapters/${id}/`);
}
