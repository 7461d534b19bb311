/**
 * The Copy button of a figure note's code: the code goes to the clipboard (Clipboard API); where
 * the page may not write there (an insecure origin, or permission refused), the code is selected
 * and the status line says how to copy it by hand.
 *
 * @module
 */

/** Copies the code of the note that holds `button`, and says what happened in its status line. */
export async function copyNoteCode(button: HTMLButtonElement): Promise<void> {
  const note = button.closest('.ib-note-code');
  const code = note?.querySelector('pre');
  const status = note?.querySelector('.ib-copy-status');
  if (!code || !status) return;
  try {
    await navigator.clipboard.writeText(code.textContent ?? '');
    status.textContent = 'Copied.';
  } catch {
    const range = document.createRange();
    range.selectNodeContents(code);
    const selection = getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
    status.textContent =
      'This page may not write to the clipboard: the code is selected, press Ctrl+C (⌘C on a Mac) to copy it.';
  }
}

/** A note's code block with its Copy button and status line, as Figure.astro writes it. */
export function noteCodeBlock(code: string, label: string): HTMLElement {
  const box = Object.assign(document.createElement('div'), { className: 'ib-note-code' });
  const pre = Object.assign(document.createElement('pre'), { tabIndex: 0 });
  pre.setAttribute('role', 'region');
  pre.setAttribute('aria-label', label);
  pre.append(Object.assign(document.createElement('code'), { textContent: code }));
  const button = Object.assign(document.createElement('button'), {
    type: 'button',
    textContent: 'Copy the Python',
  });
  button.dataset['action'] = 'copy-code';
  const status = Object.assign(document.createElement('span'), { className: 'ib-copy-status' });
  status.setAttribute('role', 'status');
  box.append(pre, button, status);
  return box;
}
