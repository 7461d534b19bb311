/**
 * The "Copy as PyTorch" script of a code cell: the cell's twin, the ```` ```python twin ```` fence the
 * chapter writes after it (attached by src/markdown/remark-cells.mjs), under a header that says which
 * cell it mirrors and what to expect from it. The twin prints one line `name value` per number the
 * cell shows (tests/unit/cell-twins.test.ts holds them to the cell's build output).
 *
 * @module
 */
import { comment, script } from './python';

/** The script as the reader copies it. */
export function cellTwinScript(
  twin: string,
  cell: { readonly chapter: string; readonly label: string },
): string {
  return script([
    ...comment(
      `Initbook, ${cell.chapter}: ${cell.label}, in PyTorch. It prints each number the cell shows.`,
      'Run it with PyTorch on an x86 CPU with AVX2 (most PCs and servers): it draws the',
      "cell's random numbers exactly (torch.manual_seed, CPU, float32) and prints its statistics",
      'to float32 rounding. ARM and Apple builds round normal_ on 16 values or more differently.',
    ),
    '',
    ...twin.replace(/\s+$/, '').split('\n'),
  ]);
}
