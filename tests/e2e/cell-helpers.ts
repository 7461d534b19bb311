import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures';

/** A code cell by its accessible name ("Code cell 1", "Exercise: …"). */
export const cell = (page: Page, name: string) => page.getByRole('region', { name, exact: true });

export const output = (region: Locator) => region.locator('.ib-cell-output');

/** Opens a cell's editor by clicking its code, and replaces the code with `text`. */
export async function edit(page: Page, region: Locator, text: string): Promise<Locator> {
  const editor = region.getByRole('textbox', { name: /TypeScript code/ });
  if (await editor.isVisible()) await editor.click();
  else await region.locator('.ib-cell-source pre').click();
  await expect(editor).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
  return editor;
}
