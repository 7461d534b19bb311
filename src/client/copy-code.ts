/**
 * The Copy button of a figure note's code (the module inspector's Python), through
 * ./copy-script.ts: the clipboard, or the code selected with a message saying how to copy it.
 *
 * @module
 */
import { copyScript } from './copy-script';

/** Copies the code of the note that holds `button`, and says what happened in its status line. */
export async function copyNoteCode(button: HTMLButtonElement): Promise<void> {
  const note = button.closest('.ib-note-code');
  const code = note?.querySelector<HTMLElement>('pre');
  const status = note?.querySelector<HTMLElement>('.ib-copy-status');
  if (!code || !status) return;
  await copyScript(code.textContent ?? '', status, code);
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
