/**
 * "Copy as PyTorch" for figures and cells: puts a script on the clipboard and says so in a status
 * line; where the browser refuses (no permission, an insecure origin, file://), it opens the
 * script's disclosure, selects the script and says how to copy it by hand.
 *
 * @module
 */

/** Selects the text of `element`, so Ctrl+C / ⌘C copies it. */
function select(element: HTMLElement): void {
  const range = document.createRange();
  range.selectNodeContents(element);
  const selection = getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
}

/**
 * Copies `text`, then reports in `status` (a `role="status"` element).
 * @param code - the element that shows the script (inside a `<details>`), for the fallback
 */
export async function copyScript(
  text: string,
  status: HTMLElement,
  code?: HTMLElement,
): Promise<void> {
  try {
    if (!navigator.clipboard) throw new Error('no clipboard');
    await navigator.clipboard.writeText(text);
    status.textContent = 'Copied: paste it into a notebook or a .py file.';
  } catch {
    const details = code?.closest('details');
    if (details) details.open = true;
    if (code) {
      code.focus();
      select(code);
    }
    status.textContent =
      'The browser did not allow copying: the script is selected below, press Ctrl+C (⌘C on a Mac).';
  }
}
