/**
 * Direct labels (a series' name at the end of its line) that would overlap are moved apart
 * vertically, as little as possible, and kept between two bounds.
 *
 * @module
 */

/**
 * New centres for labels wanted at `wanted` (any order), each `gap` apart at least, within [lo, hi]
 * where there is room: a forward sweep pushes crowded labels down, a backward one pulls the column
 * back up under `hi`. Returns the centres in the input's order.
 */
export function dodge(wanted: readonly number[], gap: number, lo: number, hi: number): number[] {
  const order = wanted.map((y, i) => ({ y: Math.min(hi, Math.max(lo, y)), i }));
  order.sort((a, b) => a.y - b.y || a.i - b.i);
  for (let k = 1; k < order.length; k++) {
    order[k]!.y = Math.max(order[k]!.y, order[k - 1]!.y + gap);
  }
  const last = order.at(-1);
  if (last && last.y > hi) {
    last.y = hi;
    for (let k = order.length - 2; k >= 0; k--) {
      order[k]!.y = Math.min(order[k]!.y, order[k + 1]!.y - gap);
    }
  }
  const out = new Array<number>(wanted.length);
  for (const { y, i } of order) out[i] = y;
  return out;
}

/** Groups of items whose [left, right] ranges overlap, directly or through others. */
export function overlappingGroups<T extends { left: number; right: number }>(
  items: readonly T[],
): T[][] {
  const sorted = [...items].sort((a, b) => a.left - b.left);
  const groups: T[][] = [];
  let end = -Infinity;
  for (const item of sorted) {
    if (item.left < end && groups.length > 0) groups.at(-1)!.push(item);
    else groups.push([item]);
    end = Math.max(end, item.right);
  }
  return groups;
}
