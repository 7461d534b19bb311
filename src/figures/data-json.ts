/**
 * A figure's data in its page, for the live figure to redraw the build-time picture at the reader's
 * width without asking the engine again. JSON cannot hold NaN or ±∞ (the data has them where a run
 * diverged), so those travel as `{"$n": "NaN"}` and so on; fractions keep 7 significant digits
 * (float32's, far below a pixel), which halves the bytes. `<` is escaped so the text can sit in a
 * `<script type="application/json">` element.
 *
 * @module
 */

const TAG = '$n';

export function encodeFigureData(data: unknown): string {
  const json = JSON.stringify(data, (_key, value: unknown) => {
    if (typeof value !== 'number') return value;
    if (!Number.isFinite(value)) return { [TAG]: String(value) };
    return Number.isInteger(value) ? value : Number(value.toPrecision(7));
  });
  return json.replaceAll('<', '\\u003c');
}

export function decodeFigureData(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => {
    if (typeof value === 'object' && value !== null && Object.keys(value).length === 1) {
      const tagged = (value as Record<string, unknown>)[TAG];
      if (typeof tagged === 'string') return Number(tagged);
    }
    return value;
  });
}
