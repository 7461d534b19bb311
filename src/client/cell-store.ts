/**
 * A reader's edits, kept in localStorage per page and cell position, with the hash of the original
 * they were made from: when the original changes, the edit is set aside and the reader is told.
 *
 * @module
 */

export interface StoredEdit {
  /** Hash of the original source the edit was made from. */
  readonly original: string;
  readonly source: string;
}

const keyOf = (cellKey: string) => `initbook:cell:${cellKey}`;

export function readEdit(cellKey: string): StoredEdit | null {
  try {
    const raw = localStorage.getItem(keyOf(cellKey));
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<StoredEdit>;
    return typeof value.original === 'string' && typeof value.source === 'string'
      ? { original: value.original, source: value.source }
      : null;
  } catch {
    return null; // storage disabled or a malformed entry: behave as if nothing was stored
  }
}

export function writeEdit(cellKey: string, edit: StoredEdit | null): void {
  try {
    if (edit) localStorage.setItem(keyOf(cellKey), JSON.stringify(edit));
    else localStorage.removeItem(keyOf(cellKey));
  } catch {
    // Storage full or disabled: the edit lives until the page closes.
  }
}
