/**
 * The link-preview image of a page: a 1200×630 SVG with the course name, the chapter number and its
 * title, drawn at build time from text only (no fonts or images to fetch).
 *
 * @module
 */

export interface SocialCard {
  /** A short line above the title, e.g. "Chapter 3". */
  readonly kicker: string;
  readonly title: string;
  readonly summary: string;
}

export const SOCIAL_WIDTH = 1200;
export const SOCIAL_HEIGHT = 630;

function escapeXml(text: string): string {
  return text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c,
  );
}

/** Greedy word wrap to at most `maxChars` per line and `maxLines` lines (the last one ellipsized). */
export function wrapText(text: string, maxChars: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && `${line} ${word}`.length > maxChars) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = `${kept[maxLines - 1]?.replace(/\s*\S*$/, '') ?? ''}…`;
  return kept;
}

export function socialImage(card: SocialCard): string {
  const title = wrapText(card.title, 26, 3);
  const summary = wrapText(card.summary, 58, 3);
  const titleTop = 250;
  const summaryTop = titleTop + title.length * 84 + 30;
  const tspans = (lines: string[], top: number, step: number) =>
    lines.map((l, i) => `<tspan x="80" y="${top + i * step}">${escapeXml(l)}</tspan>`).join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SOCIAL_WIDTH}" height="${SOCIAL_HEIGHT}" viewBox="0 0 ${SOCIAL_WIDTH} ${SOCIAL_HEIGHT}" role="img" aria-label="${escapeXml(`${card.kicker}: ${card.title}`)}">`,
    `<rect width="100%" height="100%" fill="#fdfcfa"/>`,
    `<rect width="24" height="100%" fill="#9c3d10"/>`,
    `<path d="M900 520 L980 380 L1060 430 L1140 260" stroke="#9c3d10" stroke-width="14" fill="none" stroke-linecap="round" stroke-linejoin="round" opacity="0.35"/>`,
    `<text x="80" y="120" font-family="system-ui, sans-serif" font-size="40" font-weight="700" fill="#9c3d10">Initbook</text>`,
    `<text x="80" y="175" font-family="system-ui, sans-serif" font-size="34" fill="#565e68">${escapeXml(card.kicker)}</text>`,
    `<text font-family="Georgia, serif" font-size="72" font-weight="700" fill="#1f2328">${tspans(title, titleTop, 84)}</text>`,
    `<text font-family="Georgia, serif" font-size="32" fill="#565e68">${tspans(summary, summaryTop, 44)}</text>`,
    `</svg>`,
  ].join('\n');
}
