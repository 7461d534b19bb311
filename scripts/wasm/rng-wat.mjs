// WAT text of the engine's normal sampler, a line-by-line port of src/engine/rng.ts (xoshiro128**,
// 53-bit uniforms, Marsaglia's polar method) and of detLog in src/engine/special.ts (fdlibm's
// log). Every step is an integer operation or one correctly rounded float64 operation in the same
// order as the TypeScript, so the two produce bit-identical numbers (tests/unit/engine-rng-wasm).
//
// State block (byte address $st): s0, s1, s2, s3 as i32 at 0..16, the cached twin deviate as f64
// at 16, and whether it is cached as i32 at 24.

/** @returns {string} the sampler's WAT module fields; exports `normal_fill` and `normal_fill64`. */
export function rngWat() {
  return `
  (global $rs0 (mut i32) (i32.const 0))
  (global $rs1 (mut i32) (i32.const 0))
  (global $rs2 (mut i32) (i32.const 0))
  (global $rs3 (mut i32) (i32.const 0))

  ;; xoshiro128**: the next 32-bit output (as i32 bits).
  (func $next_u32 (result i32)
    (local $s1 i32) (local $t i32) (local $r i32)
    (local.set $s1 (global.get $rs1))
    (local.set $t (i32.shl (local.get $s1) (i32.const 9)))
    (local.set $r (i32.mul (i32.rotl (i32.mul (local.get $s1) (i32.const 5)) (i32.const 7)) (i32.const 9)))
    (global.set $rs2 (i32.xor (global.get $rs2) (global.get $rs0)))
    (global.set $rs3 (i32.xor (global.get $rs3) (local.get $s1)))
    (global.set $rs1 (i32.xor (global.get $rs1) (global.get $rs2)))
    (global.set $rs0 (i32.xor (global.get $rs0) (global.get $rs3)))
    (global.set $rs2 (i32.xor (global.get $rs2) (local.get $t)))
    (global.set $rs3 (i32.rotl (global.get $rs3) (i32.const 11)))
    (local.get $r)
  )

  ;; A uniform in [0, 1) from 26 + 27 high bits of two outputs.
  (func $uniform (result f64)
    (local $a i32)
    (local.set $a (i32.shr_u (call $next_u32) (i32.const 6)))
    (f64.mul
      (f64.add (f64.mul (f64.convert_i32_u (local.get $a)) (f64.const 134217728))
        (f64.convert_i32_u (i32.shr_u (call $next_u32) (i32.const 5))))
      (f64.const 0x1p-53))
  )

  ;; fdlibm's log, as detLog: only the positive, normal, finite arguments the polar method gives
  ;; (s in (0, 1)), so the subnormal and special-value branches are not needed here.
  (func $log (param $x f64) (result f64)
    (local $hx i32) (local $k i32) (local $i i32) (local $f f64) (local $dk f64) (local $s f64)
    (local $z f64) (local $w f64) (local $t1 f64) (local $t2 f64) (local $r f64) (local $hfsq f64)
    (local.set $hx (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $x)) (i64.const 32))))
    (local.set $k (i32.sub (i32.shr_s (local.get $hx) (i32.const 20)) (i32.const 1023)))
    (local.set $hx (i32.and (local.get $hx) (i32.const 0x000fffff)))
    (local.set $i (i32.and (i32.add (local.get $hx) (i32.const 0x95f64)) (i32.const 0x100000)))
    (local.set $x (f64.reinterpret_i64 (i64.or
      (i64.and (i64.reinterpret_f64 (local.get $x)) (i64.const 0xffffffff))
      (i64.shl (i64.extend_i32_u (i32.or (local.get $hx) (i32.xor (local.get $i) (i32.const 0x3ff00000))))
        (i64.const 32)))))
    (local.set $k (i32.add (local.get $k) (i32.shr_s (local.get $i) (i32.const 20))))
    (local.set $f (f64.sub (local.get $x) (f64.const 1)))
    (local.set $dk (f64.convert_i32_s (local.get $k)))
    (if (i32.lt_s (i32.and (i32.const 0x000fffff) (i32.add (i32.const 2) (local.get $hx))) (i32.const 3))
      (then
        (if (f64.eq (local.get $f) (f64.const 0)) (then
          (if (i32.eqz (local.get $k)) (then (return (f64.const 0))))
          (return (f64.add (f64.mul (local.get $dk) (f64.const ${LN2_HI}))
            (f64.mul (local.get $dk) (f64.const ${LN2_LO}))))))
        (local.set $r (f64.mul (f64.mul (local.get $f) (local.get $f))
          (f64.sub (f64.const 0.5) (f64.mul (f64.const 0.33333333333333333) (local.get $f)))))
        (if (i32.eqz (local.get $k)) (then (return (f64.sub (local.get $f) (local.get $r)))))
        (return (f64.sub (f64.mul (local.get $dk) (f64.const ${LN2_HI}))
          (f64.sub (f64.sub (local.get $r) (f64.mul (local.get $dk) (f64.const ${LN2_LO}))) (local.get $f))))))
    (local.set $s (f64.div (local.get $f) (f64.add (f64.const 2) (local.get $f))))
    (local.set $z (f64.mul (local.get $s) (local.get $s)))
    (local.set $w (f64.mul (local.get $z) (local.get $z)))
    (local.set $t1 (f64.mul (local.get $w) (f64.add (f64.const ${LG[2]})
      (f64.mul (local.get $w) (f64.add (f64.const ${LG[4]}) (f64.mul (local.get $w) (f64.const ${LG[6]})))))))
    (local.set $t2 (f64.mul (local.get $z) (f64.add (f64.const ${LG[1]})
      (f64.mul (local.get $w) (f64.add (f64.const ${LG[3]})
        (f64.mul (local.get $w) (f64.add (f64.const ${LG[5]}) (f64.mul (local.get $w) (f64.const ${LG[7]})))))))))
    (local.set $r (f64.add (local.get $t2) (local.get $t1)))
    (if (i32.gt_s (i32.or (i32.sub (local.get $hx) (i32.const 0x6147a)) (i32.sub (i32.const 0x6b851) (local.get $hx)))
          (i32.const 0))
      (then
        (local.set $hfsq (f64.mul (f64.mul (f64.const 0.5) (local.get $f)) (local.get $f)))
        (if (i32.eqz (local.get $k)) (then
          (return (f64.sub (local.get $f) (f64.sub (local.get $hfsq)
            (f64.mul (local.get $s) (f64.add (local.get $hfsq) (local.get $r))))))))
        (return (f64.sub (f64.mul (local.get $dk) (f64.const ${LN2_HI}))
          (f64.sub (f64.sub (local.get $hfsq)
            (f64.add (f64.mul (local.get $s) (f64.add (local.get $hfsq) (local.get $r)))
              (f64.mul (local.get $dk) (f64.const ${LN2_LO}))))
            (local.get $f))))))
    (if (i32.eqz (local.get $k)) (then
      (return (f64.sub (local.get $f) (f64.mul (local.get $s) (f64.sub (local.get $f) (local.get $r)))))))
    (f64.sub (f64.mul (local.get $dk) (f64.const ${LN2_HI}))
      (f64.sub (f64.sub (f64.mul (local.get $s) (f64.sub (local.get $f) (local.get $r)))
        (f64.mul (local.get $dk) (f64.const ${LN2_LO})))
        (local.get $f)))
  )

${normalFill(false)}
${normalFill(true)}
`;
}

// The constants of src/engine/special.ts, written with all their digits.
const LN2_HI = '6.9314718036912381649e-1';
const LN2_LO = '1.90821492927058770002e-10';
const LG = [
  '',
  '6.66666666666673513e-1',
  '3.999999999940941908e-1',
  '2.857142874366239149e-1',
  '2.222219843214978396e-1',
  '1.818357216161805012e-1',
  '1.531383769920937332e-1',
  '1.479819860511658591e-1',
];

/**
 * The sampling loop. `normal_fill` writes float32(mean + std * z); `normal_fill64` writes the
 * deviates z themselves as float64 (mean and std unused), from which the caller can form the same
 * float32 values for any mean and std later (the engine's draw cache, src/engine/rng.ts).
 * @param {boolean} wide - write float64 deviates
 */
function normalFill(wide) {
  const comment = wide
    ? ';; out[i] = N(0, 1) as float64 (8 bytes each) for i < n'
    : ';; out[i] = float32(mean + std * N(0, 1)) for i < n';
  const store = wide
    ? `      (f64.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3))) (local.get $z))`
    : `      (f32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
        (f32.demote_f64 (f64.add (local.get $mean) (f64.mul (local.get $std) (local.get $z)))))`;
  return `  ${comment}, continuing the generator in the state block
  ;; and writing it back, twin deviate included.
  (func (export "${wide ? 'normal_fill64' : 'normal_fill'}") (param $st i32) (param $out i32) (param $n i32) (param $mean f64) (param $std f64)
    (local $i i32) (local $spare f64) (local $has i32) (local $z f64) (local $u f64) (local $v f64)
    (local $s f64) (local $m f64)
    (global.set $rs0 (i32.load offset=0 (local.get $st)))
    (global.set $rs1 (i32.load offset=4 (local.get $st)))
    (global.set $rs2 (i32.load offset=8 (local.get $st)))
    (global.set $rs3 (i32.load offset=12 (local.get $st)))
    (local.set $spare (f64.load offset=16 (local.get $st)))
    (local.set $has (i32.load offset=24 (local.get $st)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (if (local.get $has)
        (then
          (local.set $has (i32.const 0))
          (local.set $z (local.get $spare)))
        (else
          (loop $retry
            (local.set $u (f64.sub (f64.mul (f64.const 2) (call $uniform)) (f64.const 1)))
            (local.set $v (f64.sub (f64.mul (f64.const 2) (call $uniform)) (f64.const 1)))
            (local.set $s (f64.add (f64.mul (local.get $u) (local.get $u)) (f64.mul (local.get $v) (local.get $v))))
            (br_if $retry (i32.or (f64.ge (local.get $s) (f64.const 1)) (f64.eq (local.get $s) (f64.const 0)))))
          (local.set $m (f64.sqrt (f64.div (f64.mul (f64.const -2) (call $log (local.get $s))) (local.get $s))))
          (local.set $spare (f64.mul (local.get $v) (local.get $m)))
          (local.set $has (i32.const 1))
          (local.set $z (f64.mul (local.get $u) (local.get $m)))))
${store}
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (i32.store offset=0 (local.get $st) (global.get $rs0))
    (i32.store offset=4 (local.get $st) (global.get $rs1))
    (i32.store offset=8 (local.get $st) (global.get $rs2))
    (i32.store offset=12 (local.get $st) (global.get $rs3))
    (f64.store offset=16 (local.get $st) (local.get $spare))
    (i32.store offset=24 (local.get $st) (local.get $has))
  )
`;
}
