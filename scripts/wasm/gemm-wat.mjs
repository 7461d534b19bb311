// WAT text of the matrix-multiply kernels, generated so the unrolled register tile is written
// once. Spliced into the kernels module by scripts/build-wasm.mjs.
//
// Layout (all addresses in bytes, sizes and strides in float32 elements):
// - A (m × k) is read through strides, element (i, p) at src + 4·(i·ars + p·acs), and packed by
//   `pack_a` into blocks of R = TILE_ROWS rows: block t holds k groups of R floats, A[R·t + r][p]
//   at ap + 4·((t·k + p)·R + r); rows past m are zero. With ars = 1 the source is a transpose, so
//   dYᵀ needs no copy.
// - B (n × k) likewise, element (j, p) at src + 4·(j·sj + p·sp), packed by `pack_b` into panels
//   of 8 columns: B[8q + l][p] at bp + 4·((q·k + p)·8 + l); columns past n are zero.
// - C is row-major with a row stride ldc (a multiple of 8): a tile stores whole 8-float rows.
// Every output lane is one dot product accumulated in float32 in index order p = 0, 1, …, k − 1,
// starting from the bias (or 0), so two columns with identical rows of B get identical results.

/** Rows of A per register tile: 6 rows × 8 columns = 12 vector accumulators (of 16 registers). */
export const TILE_ROWS = 6;
/** Columns of B per packed panel. */
export const PANEL = 8;
/** Steps of p per pass of the inner loop. */
const UNROLL = 4;
/** Row blocks swept per panel: 11 blocks = 66 rows × k = 512 floats ≈ 132 KiB, in L2. */
const ROW_BLOCKS = 11;

/**
 * The multiply-add of the micro-kernel: fused (relaxed SIMD, where the engine has it) or not.
 * @param {boolean} relaxed
 * @param {string} a
 * @param {string} b
 * @param {string} c
 */
function madd(relaxed, a, b, c) {
  return relaxed ? `(f32x4.relaxed_madd ${a} ${b} ${c})` : `(f32x4.add (f32x4.mul ${a} ${b}) ${c})`;
}

/**
 * One step of p inside the tile: two vectors of B, TILE_ROWS broadcasts of A, 2·TILE_ROWS multiply-adds.
 * @param {boolean} relaxed
 * @param {number} u - the step's index in the unrolled pass (constant offsets)
 */
function step(relaxed, u) {
  const lines = [
    `      (local.set $b0 (v128.load offset=${32 * u} (local.get $b)))`,
    `      (local.set $b1 (v128.load offset=${32 * u + 16} (local.get $b)))`,
  ];
  for (let r = 0; r < TILE_ROWS; r++) {
    lines.push(
      `      (local.set $av (v128.load32_splat offset=${4 * (TILE_ROWS * u + r)} (local.get $a)))`,
    );
    lines.push(
      `      (local.set $c${r}a ${madd(relaxed, '(local.get $av)', '(local.get $b0)', `(local.get $c${r}a)`)})`,
    );
    lines.push(
      `      (local.set $c${r}b ${madd(relaxed, '(local.get $av)', '(local.get $b1)', `(local.get $c${r}b)`)})`,
    );
  }
  return lines.join('\n');
}

/**
 * The 6×8 register tile: one packed block of A times one packed panel of B, plus the bias; stores
 * the first `rows` rows of C.
 * @param {boolean} relaxed
 */
function tile(relaxed) {
  const rows = [...Array(TILE_ROWS).keys()];
  const accs = rows.flatMap((r) => [`$c${r}a`, `$c${r}b`]);
  const unrolled = [...Array(UNROLL).keys()].map((u) => step(relaxed, u)).join('\n');
  const stores = rows
    .map((r) => {
      const row =
        r === 0
          ? '(local.get $c)'
          : `(i32.add (local.get $c) (i32.shl (i32.mul (local.get $ldc) (i32.const ${r})) (i32.const 2)))`;
      const store = `(v128.store ${row} (local.get $c${r}a)) (v128.store offset=16 ${row} (local.get $c${r}b))`;
      return r === 0
        ? `    ${store}`
        : `    (if (i32.gt_u (local.get $rows) (i32.const ${r})) (then ${store}))`;
    })
    .join('\n');
  return `
  ;; C[i .. i+rows)[j .. j+8) = bias + A-block * B-panel, accumulated in vector registers.
  (func $tile (param $a i32) (param $b i32) (param $bias i32) (param $c i32) (param $k i32)
      (param $ldc i32) (param $rows i32)
    (local $p i32) (local $end i32) (local $b0 v128) (local $b1 v128) (local $av v128)
    (local ${accs.map((x) => `${x} v128`).join(') (local ')})
    (if (local.get $bias) (then
      (local.set $b0 (v128.load (local.get $bias)))
      (local.set $b1 (v128.load offset=16 (local.get $bias)))
${rows.map((r) => `      (local.set $c${r}a (local.get $b0)) (local.set $c${r}b (local.get $b1))`).join('\n')}))
    ;; ${UNROLL} steps of p per pass while they fit, then one at a time.
    (local.set $end (i32.and (local.get $k) (i32.const ${-UNROLL})))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
${unrolled}
      (local.set $a (i32.add (local.get $a) (i32.const ${4 * TILE_ROWS * UNROLL})))
      (local.set $b (i32.add (local.get $b) (i32.const ${32 * UNROLL})))
      (local.set $p (i32.add (local.get $p) (i32.const ${UNROLL})))
      (br $next)))
    (block $done1 (loop $next1
      (br_if $done1 (i32.ge_u (local.get $p) (local.get $k)))
${step(relaxed, 0)}
      (local.set $a (i32.add (local.get $a) (i32.const ${4 * TILE_ROWS})))
      (local.set $b (i32.add (local.get $b) (i32.const 32)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $next1)))
${stores}
  )`;
}

/**
 * A packing loop: `groups` groups of `width` floats per p, gathered through strides, zero past `n`.
 * @param {string} name - exported name
 * @param {number} width - 4 (A) or 8 (B)
 */
function packer(name, width) {
  return `
  ;; Packs ${name === 'pack_a' ? `A into blocks of ${width} rows` : 'B into panels of 8 columns'}, zero-padded.
  (func (export "${name}") (param $src i32) (param $s0 i32) (param $s1 i32) (param $n i32) (param $k i32)
      (param $dst i32)
    (local $q i32) (local $p i32) (local $l i32) (local $j i32) (local $groups i32)
    (local.set $groups (i32.div_u (i32.add (local.get $n) (i32.const ${width - 1})) (i32.const ${width})))
    (block $qd (loop $qn
      (br_if $qd (i32.ge_u (local.get $q) (local.get $groups)))
      (local.set $p (i32.const 0))
      (block $pd (loop $pn
        (br_if $pd (i32.ge_u (local.get $p) (local.get $k)))
        (local.set $l (i32.const 0))
        (block $ld (loop $ln
          (br_if $ld (i32.ge_u (local.get $l) (i32.const ${width})))
          (local.set $j (i32.add (i32.mul (local.get $q) (i32.const ${width})) (local.get $l)))
          (f32.store (local.get $dst)
            (if (result f32) (i32.lt_u (local.get $j) (local.get $n))
              (then (f32.load (i32.add (local.get $src) (i32.shl
                (i32.add (i32.mul (local.get $j) (local.get $s0)) (i32.mul (local.get $p) (local.get $s1)))
                (i32.const 2)))))
              (else (f32.const 0))))
          (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
          (local.set $l (i32.add (local.get $l) (i32.const 1)))
          (br $ln)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $pn)))
      (local.set $q (i32.add (local.get $q) (i32.const 1)))
      (br $qn)))
  )`;
}

/**
 * The kernels' WAT module fields: `pack_a`, `pack_b` and `gemm` (exported) and the tile.
 * @param {{ relaxed: boolean }} options - use relaxed SIMD's fused multiply-add
 * @returns {string}
 */
export function gemmWat({ relaxed }) {
  return `${tile(relaxed)}
${packer('pack_a', TILE_ROWS)}
${packer('pack_b', 8)}

  ;; C (m x 8*panels, row stride ldc) = bias + A * B^T from packed A and B. Each group of
  ;; ${ROW_BLOCKS} row blocks meets every panel while it is in cache.
  (func (export "gemm") (param $ap i32) (param $bp i32) (param $bias i32) (param $c i32)
      (param $m i32) (param $panels i32) (param $k i32) (param $ldc i32)
    (local $t0 i32) (local $t1 i32) (local $t i32) (local $q i32) (local $blocks i32)
    (local $pb i32) (local $pbias i32)
    (local.set $blocks (i32.div_u (i32.add (local.get $m) (i32.const ${TILE_ROWS - 1})) (i32.const ${TILE_ROWS})))
    (block $gd (loop $gn
      (br_if $gd (i32.ge_u (local.get $t0) (local.get $blocks)))
      (local.set $t1 (select (i32.add (local.get $t0) (i32.const ${ROW_BLOCKS})) (local.get $blocks)
        (i32.lt_u (i32.add (local.get $t0) (i32.const ${ROW_BLOCKS})) (local.get $blocks))))
      (local.set $q (i32.const 0))
      (block $qd (loop $qn
        (br_if $qd (i32.ge_u (local.get $q) (local.get $panels)))
        (local.set $pb (i32.add (local.get $bp) (i32.shl (i32.mul (local.get $q) (local.get $k)) (i32.const 5))))
        (local.set $pbias (select (i32.add (local.get $bias) (i32.shl (local.get $q) (i32.const 5)))
          (i32.const 0) (local.get $bias)))
        (local.set $t (local.get $t0))
        (block $td (loop $tn
          (br_if $td (i32.ge_u (local.get $t) (local.get $t1)))
          (call $tile
            (i32.add (local.get $ap) (i32.mul (i32.mul (local.get $t) (local.get $k)) (i32.const ${4 * TILE_ROWS})))
            (local.get $pb) (local.get $pbias)
            (i32.add (local.get $c) (i32.shl
              (i32.add (i32.mul (i32.mul (local.get $t) (i32.const ${TILE_ROWS})) (local.get $ldc)) (i32.shl (local.get $q) (i32.const 3)))
              (i32.const 2)))
            (local.get $k) (local.get $ldc)
            (i32.sub (local.get $m) (i32.mul (local.get $t) (i32.const ${TILE_ROWS}))))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br $tn)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $qn)))
      (local.set $t0 (local.get $t1))
      (br $gn)))
  )
`;
}
