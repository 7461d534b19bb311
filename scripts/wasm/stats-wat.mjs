// WAT text of the per-layer statistics behind the engine's `summarize` at detail 'moments':
// count of finite values, sum, min, max, zeros and saturated values (pass 1), then the sums of
// squared deviations about the mean and of squares (pass 2), and the mean over rows of each row's
// variance (the spread across units). Finite means `v − v = 0` (false for NaN and ±∞); sums are
// float64 (each float32 lane promoted), as in the TypeScript code, in two interleaved vector lanes.

/** Loads lanes 2 and 3 of a float32 vector as a float64 pair. */
const HIGH = (v) =>
  `(f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 ${v} ${v}))`;
const LOW = (v) => `(f64x2.promote_low_f32x4 ${v})`;
/** All-ones in every lane where the float32 lane is finite. */
const FINITE = (v) => `(f32x4.eq (f32x4.sub ${v} ${v}) (v128.const f32x4 0 0 0 0))`;

/**
 * Pass 1 of `moments`, four values at a time, for one saturation rule (a loop per rule, so the
 * common "none" pays nothing for it).
 * @param {'none' | 'tanh' | 'sigmoid'} rule
 */
function pass1(rule) {
  const saturated =
    rule === 'none'
      ? ''
      : `
      (local.set $sc (i32x4.sub (local.get $sc) (v128.and (local.get $fin) ${
        rule === 'tanh'
          ? '(f32x4.gt (f32x4.abs (local.get $v)) (v128.const f32x4 0.97 0.97 0.97 0.97))'
          : `(v128.or
          (f32x4.lt (local.get $v) (v128.const f32x4 0.03 0.03 0.03 0.03))
          (f32x4.gt (local.get $v) (v128.const f32x4 0.97 0.97 0.97 0.97)))`
      })))`;
  return `
    (block $d1_${rule} (loop $l1_${rule}
      (br_if $d1_${rule} (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $v (v128.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $fin ${FINITE('(local.get $v)')})
      (local.set $cnt (i32x4.sub (local.get $cnt) (local.get $fin)))
      (local.set $vf (v128.and (local.get $v) (local.get $fin)))
      (local.set $sumLo (f64x2.add (local.get $sumLo) ${LOW('(local.get $vf)')}))
      (local.set $sumHi (f64x2.add (local.get $sumHi) ${HIGH('(local.get $vf)')}))
      (local.set $vmin (f32x4.min (local.get $vmin)
        (v128.bitselect (local.get $v) (v128.const f32x4 inf inf inf inf) (local.get $fin))))
      (local.set $vmax (f32x4.max (local.get $vmax)
        (v128.bitselect (local.get $v) (v128.const f32x4 -inf -inf -inf -inf) (local.get $fin))))
      (local.set $zer (i32x4.sub (local.get $zer) (f32x4.eq (local.get $v) (v128.const f32x4 0 0 0 0))))${saturated}
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $l1_${rule})))`;
}

/**
 * The statistics' WAT module fields: exported `moments` and `unit_spread`.
 * @returns {string}
 */
export function statsWat() {
  return `
  ;; moments(x, n, sat, out): out[0..8) as float64 = finite count, sum, min, max, zeros,
  ;; saturated (sat 1: |v| > 0.97; sat 2: v < 0.03 or v > 0.97; else none), sum (v - mean)^2, sum v^2.
  (func (export "moments") (param $x i32) (param $n i32) (param $sat i32) (param $out i32)
    (local $i i32) (local $end i32) (local $v v128) (local $fin v128) (local $vf v128)
    (local $cnt v128) (local $zer v128) (local $sc v128)
    (local $sumLo v128) (local $sumHi v128) (local $vmin v128) (local $vmax v128)
    (local $meanv v128) (local $d v128) (local $devLo v128) (local $devHi v128)
    (local $sqLo v128) (local $sqHi v128) (local $lo v128) (local $hi v128)
    (local $s f32) (local $m f64) (local $sum f64) (local $min f32) (local $max f32)
    (local $zeros f64) (local $satn f64) (local $mean f64) (local $dev f64) (local $sq f64) (local $e f64)
    (local.set $end (i32.and (local.get $n) (i32.const -4)))
    (local.set $vmin (v128.const f32x4 inf inf inf inf))
    (local.set $vmax (v128.const f32x4 -inf -inf -inf -inf))
    ;; pass 1, four at a time, in the loop for the saturation rule
    (if (i32.eq (local.get $sat) (i32.const 1))
      (then ${pass1('tanh')})
      (else (if (i32.eq (local.get $sat) (i32.const 2))
        (then ${pass1('sigmoid')})
        (else ${pass1('none')}))))
    (local.set $m (f64.convert_i32_u (i32.add (i32.add (i32x4.extract_lane 0 (local.get $cnt)) (i32x4.extract_lane 1 (local.get $cnt)))
      (i32.add (i32x4.extract_lane 2 (local.get $cnt)) (i32x4.extract_lane 3 (local.get $cnt))))))
    (local.set $zeros (f64.convert_i32_u (i32.add (i32.add (i32x4.extract_lane 0 (local.get $zer)) (i32x4.extract_lane 1 (local.get $zer)))
      (i32.add (i32x4.extract_lane 2 (local.get $zer)) (i32x4.extract_lane 3 (local.get $zer))))))
    (local.set $satn (f64.convert_i32_u (i32.add (i32.add (i32x4.extract_lane 0 (local.get $sc)) (i32x4.extract_lane 1 (local.get $sc)))
      (i32.add (i32x4.extract_lane 2 (local.get $sc)) (i32x4.extract_lane 3 (local.get $sc))))))
    (local.set $sumLo (f64x2.add (local.get $sumLo) (local.get $sumHi)))
    (local.set $sum (f64.add (f64x2.extract_lane 0 (local.get $sumLo)) (f64x2.extract_lane 1 (local.get $sumLo))))
    (local.set $min (f32.min (f32.min (f32x4.extract_lane 0 (local.get $vmin)) (f32x4.extract_lane 1 (local.get $vmin)))
      (f32.min (f32x4.extract_lane 2 (local.get $vmin)) (f32x4.extract_lane 3 (local.get $vmin)))))
    (local.set $max (f32.max (f32.max (f32x4.extract_lane 0 (local.get $vmax)) (f32x4.extract_lane 1 (local.get $vmax)))
      (f32.max (f32x4.extract_lane 2 (local.get $vmax)) (f32x4.extract_lane 3 (local.get $vmax)))))
    ;; pass 1, the tail
    (local.set $i (local.get $end))
    (block $d2 (loop $l2
      (br_if $d2 (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $s (f32.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))))
      (if (f32.eq (f32.sub (local.get $s) (local.get $s)) (f32.const 0)) (then
        (local.set $m (f64.add (local.get $m) (f64.const 1)))
        (local.set $sum (f64.add (local.get $sum) (f64.promote_f32 (local.get $s))))
        (local.set $min (f32.min (local.get $min) (local.get $s)))
        (local.set $max (f32.max (local.get $max) (local.get $s)))
        (if (f32.eq (local.get $s) (f32.const 0)) (then (local.set $zeros (f64.add (local.get $zeros) (f64.const 1)))))
        (if (i32.or
              (i32.and (i32.eq (local.get $sat) (i32.const 1)) (f32.gt (f32.abs (local.get $s)) (f32.const 0.97)))
              (i32.and (i32.eq (local.get $sat) (i32.const 2))
                (i32.or (f32.lt (local.get $s) (f32.const 0.03)) (f32.gt (local.get $s) (f32.const 0.97)))))
          (then (local.set $satn (f64.add (local.get $satn) (f64.const 1)))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l2)))
    (local.set $mean (f64.div (local.get $sum) (local.get $m)))
    (local.set $meanv (f64x2.splat (local.get $mean)))
    ;; pass 2 about the mean
    (local.set $i (i32.const 0))
    (block $d3 (loop $l3
      (br_if $d3 (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $v (v128.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $fin ${FINITE('(local.get $v)')})
      (local.set $vf (v128.and (local.get $v) (local.get $fin)))
      (local.set $lo ${LOW('(local.get $vf)')})
      (local.set $hi ${HIGH('(local.get $vf)')})
      (local.set $d (v128.and (f64x2.sub (local.get $lo) (local.get $meanv)) (i64x2.extend_low_i32x4_s (local.get $fin))))
      (local.set $devLo (f64x2.add (local.get $devLo) (f64x2.mul (local.get $d) (local.get $d))))
      (local.set $d (v128.and (f64x2.sub (local.get $hi) (local.get $meanv)) (i64x2.extend_high_i32x4_s (local.get $fin))))
      (local.set $devHi (f64x2.add (local.get $devHi) (f64x2.mul (local.get $d) (local.get $d))))
      (local.set $sqLo (f64x2.add (local.get $sqLo) (f64x2.mul (local.get $lo) (local.get $lo))))
      (local.set $sqHi (f64x2.add (local.get $sqHi) (f64x2.mul (local.get $hi) (local.get $hi))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $l3)))
    (local.set $devLo (f64x2.add (local.get $devLo) (local.get $devHi)))
    (local.set $sqLo (f64x2.add (local.get $sqLo) (local.get $sqHi)))
    (local.set $dev (f64.add (f64x2.extract_lane 0 (local.get $devLo)) (f64x2.extract_lane 1 (local.get $devLo))))
    (local.set $sq (f64.add (f64x2.extract_lane 0 (local.get $sqLo)) (f64x2.extract_lane 1 (local.get $sqLo))))
    (local.set $i (local.get $end))
    (block $d4 (loop $l4
      (br_if $d4 (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $s (f32.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))))
      (if (f32.eq (f32.sub (local.get $s) (local.get $s)) (f32.const 0)) (then
        (local.set $e (f64.sub (f64.promote_f32 (local.get $s)) (local.get $mean)))
        (local.set $dev (f64.add (local.get $dev) (f64.mul (local.get $e) (local.get $e))))
        (local.set $sq (f64.add (local.get $sq) (f64.mul (f64.promote_f32 (local.get $s)) (f64.promote_f32 (local.get $s)))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l4)))
    (f64.store offset=0 (local.get $out) (local.get $m))
    (f64.store offset=8 (local.get $out) (local.get $sum))
    (f64.store offset=16 (local.get $out) (f64.promote_f32 (local.get $min)))
    (f64.store offset=24 (local.get $out) (f64.promote_f32 (local.get $max)))
    (f64.store offset=32 (local.get $out) (local.get $zeros))
    (f64.store offset=40 (local.get $out) (local.get $satn))
    (f64.store offset=48 (local.get $out) (local.get $dev))
    (f64.store offset=56 (local.get $out) (local.get $sq))
  )

  ;; Sum and count of the finite values of x[0 .. n), into $stat_sum and $stat_count.
  (global $stat_sum (mut f64) (f64.const 0))
  (global $stat_count (mut f64) (f64.const 0))
  (func $row_sum (param $x i32) (param $n i32)
    (local $i i32) (local $end i32) (local $v v128) (local $fin v128) (local $vf v128) (local $cnt v128)
    (local $lo v128) (local $hi v128) (local $s f32) (local $sum f64) (local $k f64)
    (local.set $end (i32.and (local.get $n) (i32.const -4)))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $v (v128.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $fin ${FINITE('(local.get $v)')})
      (local.set $cnt (i32x4.sub (local.get $cnt) (local.get $fin)))
      (local.set $vf (v128.and (local.get $v) (local.get $fin)))
      (local.set $lo (f64x2.add (local.get $lo) ${LOW('(local.get $vf)')}))
      (local.set $hi (f64x2.add (local.get $hi) ${HIGH('(local.get $vf)')}))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $l)))
    (local.set $lo (f64x2.add (local.get $lo) (local.get $hi)))
    (local.set $sum (f64.add (f64x2.extract_lane 0 (local.get $lo)) (f64x2.extract_lane 1 (local.get $lo))))
    (local.set $k (f64.convert_i32_u (i32.add (i32.add (i32x4.extract_lane 0 (local.get $cnt)) (i32x4.extract_lane 1 (local.get $cnt)))
      (i32.add (i32x4.extract_lane 2 (local.get $cnt)) (i32x4.extract_lane 3 (local.get $cnt))))))
    (block $dt (loop $lt
      (br_if $dt (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $s (f32.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))))
      (if (f32.eq (f32.sub (local.get $s) (local.get $s)) (f32.const 0)) (then
        (local.set $sum (f64.add (local.get $sum) (f64.promote_f32 (local.get $s))))
        (local.set $k (f64.add (local.get $k) (f64.const 1)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $lt)))
    (global.set $stat_sum (local.get $sum))
    (global.set $stat_count (local.get $k))
  )

  ;; sum of (v - mu)^2 over the finite values of x[0 .. n).
  (func $row_dev (param $x i32) (param $n i32) (param $mu f64) (result f64)
    (local $i i32) (local $end i32) (local $v v128) (local $fin v128) (local $vf v128)
    (local $muv v128) (local $d v128) (local $acc v128) (local $s f32) (local $e f64) (local $sum f64)
    (local.set $end (i32.and (local.get $n) (i32.const -4)))
    (local.set $muv (f64x2.splat (local.get $mu)))
    (block $d1 (loop $l
      (br_if $d1 (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $v (v128.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $fin ${FINITE('(local.get $v)')})
      (local.set $vf (v128.and (local.get $v) (local.get $fin)))
      (local.set $d (v128.and (f64x2.sub ${LOW('(local.get $vf)')} (local.get $muv)) (i64x2.extend_low_i32x4_s (local.get $fin))))
      (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $d) (local.get $d))))
      (local.set $d (v128.and (f64x2.sub ${HIGH('(local.get $vf)')} (local.get $muv)) (i64x2.extend_high_i32x4_s (local.get $fin))))
      (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $d) (local.get $d))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $l)))
    (local.set $sum (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))
    (block $dt (loop $lt
      (br_if $dt (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $s (f32.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))))
      (if (f32.eq (f32.sub (local.get $s) (local.get $s)) (f32.const 0)) (then
        (local.set $e (f64.sub (f64.promote_f32 (local.get $s)) (local.get $mu)))
        (local.set $sum (f64.add (local.get $sum) (f64.mul (local.get $e) (local.get $e))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $lt)))
    (local.get $sum)
  )

  ;; Mean over rows of the variance across each row's finite entries; NaN when no row has any.
  (func (export "unit_spread") (param $x i32) (param $rows i32) (param $cols i32) (result f64)
    (local $r i32) (local $row i32) (local $total f64) (local $used f64) (local $mu f64)
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $row (i32.add (local.get $x) (i32.shl (i32.mul (local.get $r) (local.get $cols)) (i32.const 2))))
      (call $row_sum (local.get $row) (local.get $cols))
      (if (f64.gt (global.get $stat_count) (f64.const 0)) (then
        (local.set $mu (f64.div (global.get $stat_sum) (global.get $stat_count)))
        (local.set $total (f64.add (local.get $total)
          (f64.div (call $row_dev (local.get $row) (local.get $cols) (local.get $mu)) (global.get $stat_count))))
        (local.set $used (f64.add (local.get $used) (f64.const 1)))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $l)))
    (f64.div (local.get $total) (local.get $used))
  )
`;
}

/**
 * Elementwise helpers of the backward pass: exported `mul_scaled` (out = s*a*b) and `col_sums`
 * (the column sums of a row-major matrix, added row by row in float32, as the TypeScript does).
 * @returns {string}
 */
export function backwardWat() {
  return `
  ;; out[i] = s * a[i] * b[i] for i < n (float32, left to right).
  (func (export "mul_scaled") (param $a i32) (param $b i32) (param $out i32) (param $n i32) (param $s f32)
    (local $i i32) (local $end i32) (local $sv v128) (local $o i32)
    (local.set $end (i32.and (local.get $n) (i32.const -4)))
    (local.set $sv (f32x4.splat (local.get $s)))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $o (i32.shl (local.get $i) (i32.const 2)))
      (v128.store (i32.add (local.get $out) (local.get $o))
        (f32x4.mul (f32x4.mul (local.get $sv) (v128.load (i32.add (local.get $a) (local.get $o))))
          (v128.load (i32.add (local.get $b) (local.get $o)))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $l)))
    (block $dt (loop $lt
      (br_if $dt (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $o (i32.shl (local.get $i) (i32.const 2)))
      (f32.store (i32.add (local.get $out) (local.get $o))
        (f32.mul (f32.mul (local.get $s) (f32.load (i32.add (local.get $a) (local.get $o))))
          (f32.load (i32.add (local.get $b) (local.get $o)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $lt)))
  )

  ;; out[c] = sum over r of x[r][c] (rows x cols, row-major), rows added in order, in float32.
  (func (export "col_sums") (param $x i32) (param $rows i32) (param $cols i32) (param $out i32)
    (local $c i32) (local $r i32) (local $end i32) (local $acc v128) (local $s f32) (local $row i32)
    (local.set $end (i32.and (local.get $cols) (i32.const -4)))
    (block $cd (loop $cl
      (br_if $cd (i32.ge_u (local.get $c) (local.get $end)))
      (local.set $acc (v128.const f32x4 0 0 0 0))
      (local.set $r (i32.const 0))
      (block $rd (loop $rl
        (br_if $rd (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $acc (f32x4.add (local.get $acc) (v128.load (i32.add (local.get $x)
          (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 2))))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rl)))
      (v128.store (i32.add (local.get $out) (i32.shl (local.get $c) (i32.const 2))) (local.get $acc))
      (local.set $c (i32.add (local.get $c) (i32.const 4)))
      (br $cl)))
    (block $td (loop $tl
      (br_if $td (i32.ge_u (local.get $c) (local.get $cols)))
      (local.set $s (f32.const 0))
      (local.set $r (i32.const 0))
      (block $rd2 (loop $rl2
        (br_if $rd2 (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $s (f32.add (local.get $s) (f32.load (i32.add (local.get $x)
          (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 2))))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rl2)))
      (f32.store (i32.add (local.get $out) (i32.shl (local.get $c) (i32.const 2))) (local.get $s))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $tl)))
  )
`;
}
