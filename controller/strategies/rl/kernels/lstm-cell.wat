;; The LSTM cell's elementwise work for the RL controller's policy gradient, in WebAssembly SIMD
;; (f32x4), one call per step over the whole minibatch. It shares the matrix-product kernel's memory
;; (gemm.wat): addresses are byte offsets into it, leading dimensions count floats, and the unit count
;; h must be a multiple of 4.
;;
;; Every value is a float32 and every operation is one IEEE float32 operation in a fixed order, with
;; no fused multiply-add, so js-lstm-cell.ts reproduces the results bit for bit. exp is Cephes' expf:
;; x = e ln2 + r with e = floor(x log2e + 1/2), a degree-7 polynomial in r (|r| <= ln2 / 2), times 2^e
;; built in the exponent bits. sigmoid(z) = 1 / (1 + exp(-z)), tanh(z) = 2 sigmoid(2z) - 1. The cell
;; works row by row in short passes over L1-resident rows; the activations run in one loop
;; ($activate) with exp written out in it, as V8 does not inline calls.
;;
;; Generated into lstm-cell-wasm.gen.ts by scripts/wasm-gen.ts (npm run wasm:gen).
(module
  (import "kernel" "memory" (memory 1))

  ;; to[i] = k sigmoid(k from[i]) - (k - 1) over [from, end): sigmoid for k = 1, tanh for k = 2 (the
  ;; products by k and the subtraction are exact). exp(x) for x = -k z clamped to [-87.25, 88], so
  ;; that 2^e stays a normal float (e in [-126, 127]).
  (func $activate (param $from i32) (param $to i32) (param $end i32) (param $k f32)
    (local $kv v128) (local $negk v128) (local $bias v128) (local $x v128) (local $fx v128)
    (local $r v128) (local $y v128)
    (local.set $kv (f32x4.splat (local.get $k)))
    (local.set $negk (f32x4.splat (f32.neg (local.get $k))))
    (local.set $bias (f32x4.splat (f32.sub (local.get $k) (f32.const 1))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $from) (local.get $end)))
        ;; z (-k) is exactly -(k z): rounding to nearest is symmetric.
        (local.set $x (f32x4.mul (v128.load (local.get $from)) (local.get $negk)))
        ;; pmin/pmax (one instruction each) equal min/max here: the bounds are neither NaN nor zero.
        (local.set $x (f32x4.pmax (f32x4.pmin (local.get $x) (v128.const f32x4 88 88 88 88))
          (v128.const f32x4 -87.25 -87.25 -87.25 -87.25)))
        (local.set $fx (f32x4.floor (f32x4.add
          (f32x4.mul (local.get $x)
            (v128.const f32x4 0x1.715476p+0 0x1.715476p+0 0x1.715476p+0 0x1.715476p+0))
          (v128.const f32x4 0.5 0.5 0.5 0.5))))
        (local.set $r (f32x4.sub
          (f32x4.sub (local.get $x) (f32x4.mul (local.get $fx)
            (v128.const f32x4 0x1.63p-1 0x1.63p-1 0x1.63p-1 0x1.63p-1)))
          (f32x4.mul (local.get $fx)
            (v128.const f32x4 -0x1.bd0106p-13 -0x1.bd0106p-13 -0x1.bd0106p-13 -0x1.bd0106p-13))))
        (local.set $y (f32x4.add
          (f32x4.mul (local.get $r)
            (v128.const f32x4 0x1.a0d2cep-13 0x1.a0d2cep-13 0x1.a0d2cep-13 0x1.a0d2cep-13))
          (v128.const f32x4 0x1.6e879cp-10 0x1.6e879cp-10 0x1.6e879cp-10 0x1.6e879cp-10)))
        (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $r))
          (v128.const f32x4 0x1.11121p-7 0x1.11121p-7 0x1.11121p-7 0x1.11121p-7)))
        (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $r))
          (v128.const f32x4 0x1.555382p-5 0x1.555382p-5 0x1.555382p-5 0x1.555382p-5)))
        (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $r))
          (v128.const f32x4 0x1.555554p-3 0x1.555554p-3 0x1.555554p-3 0x1.555554p-3)))
        (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $r))
          (v128.const f32x4 0.5 0.5 0.5 0.5)))
        (local.set $y (f32x4.add
          (f32x4.add (f32x4.mul (local.get $y) (f32x4.mul (local.get $r) (local.get $r)))
            (local.get $r))
          (v128.const f32x4 1 1 1 1)))
        ;; exp(x) = y 2^fx, 2^fx built in the exponent bits: the low bits of fx + 1.5 2^23 are the
        ;; integer fx, and the shift drops the rest.
        (local.set $y (f32x4.mul (local.get $y)
          (i32x4.shl
            (i32x4.add
              (f32x4.add (local.get $fx) (v128.const f32x4 0x1.8p+23 0x1.8p+23 0x1.8p+23 0x1.8p+23))
              (v128.const i32x4 127 127 127 127))
            (i32.const 23))))
        (v128.store (local.get $to) (f32x4.sub
          (f32x4.mul
            (f32x4.div (v128.const f32x4 1 1 1 1)
              (f32x4.add (v128.const f32x4 1 1 1 1) (local.get $y)))
            (local.get $kv))
          (local.get $bias)))
        (local.set $from (i32.add (local.get $from) (i32.const 16)))
        (local.set $to (i32.add (local.get $to) (i32.const 16)))
        (br $each))))

  ;; For each of n rows: gates [i f o g] (4h wide, pre-activation, at $gates) activated in place;
  ;; c = f cPrev + i g and tanh(c) into $c and $ct (h wide); the state o tanh(c) into row s of $state
  ;; and column s of $stateT.
  (func (export "cell_forward")
    (param $n i32) (param $h i32) (param $gates i32) (param $cPrev i32) (param $c i32) (param $ct i32)
    (param $state i32) (param $ldState i32) (param $stateT i32) (param $ldStateT i32)
    (local $s i32) (local $j i32) (local $hb i32) (local $z i32) (local $g3 i32) (local $cell i32)
    (local $out i32) (local $outT i32) (local $hv v128)
    (local.set $hb (i32.shl (local.get $h) (i32.const 2)))
    (local.set $ldState (i32.shl (local.get $ldState) (i32.const 2)))
    (local.set $ldStateT (i32.shl (local.get $ldStateT) (i32.const 2)))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $s) (local.get $n)))
        (local.set $z (i32.add (local.get $gates)
          (i32.shl (i32.mul (local.get $s) (local.get $hb)) (i32.const 2))))
        (local.set $g3 (i32.add (local.get $z) (i32.mul (local.get $hb) (i32.const 3))))
        (local.set $cell (i32.mul (local.get $s) (local.get $hb)))
        (call $activate (local.get $z) (local.get $z) (local.get $g3) (f32.const 1))
        (call $activate (local.get $g3) (local.get $g3) (i32.add (local.get $g3) (local.get $hb))
          (f32.const 2))
        ;; c = f cPrev + i g
        (local.set $j (i32.const 0))
        (block $cDone
          (loop $cLoop
            (br_if $cDone (i32.ge_u (local.get $j) (local.get $hb)))
            (v128.store (i32.add (i32.add (local.get $c) (local.get $cell)) (local.get $j))
              (f32x4.add
                (f32x4.mul
                  (v128.load (i32.add (i32.add (local.get $z) (local.get $hb)) (local.get $j)))
                  (v128.load (i32.add (i32.add (local.get $cPrev) (local.get $cell)) (local.get $j))))
                (f32x4.mul
                  (v128.load (i32.add (local.get $z) (local.get $j)))
                  (v128.load (i32.add (local.get $g3) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $cLoop)))
        (call $activate (i32.add (local.get $c) (local.get $cell))
          (i32.add (local.get $ct) (local.get $cell))
          (i32.add (i32.add (local.get $c) (local.get $cell)) (local.get $hb)) (f32.const 2))
        ;; state = o tanh(c), in row s and column s of the transpose
        (local.set $out (i32.add (local.get $state) (i32.mul (local.get $s) (local.get $ldState))))
        (local.set $outT (i32.add (local.get $stateT) (i32.shl (local.get $s) (i32.const 2))))
        (local.set $j (i32.const 0))
        (block $hDone
          (loop $hLoop
            (br_if $hDone (i32.ge_u (local.get $j) (local.get $hb)))
            (local.set $hv (f32x4.mul
              (v128.load (i32.add (i32.add (local.get $z) (i32.shl (local.get $hb) (i32.const 1)))
                (local.get $j)))
              (v128.load (i32.add (i32.add (local.get $ct) (local.get $cell)) (local.get $j)))))
            (v128.store (i32.add (local.get $out) (local.get $j)) (local.get $hv))
            (f32.store (local.get $outT) (f32x4.extract_lane 0 (local.get $hv)))
            (local.set $outT (i32.add (local.get $outT) (local.get $ldStateT)))
            (f32.store (local.get $outT) (f32x4.extract_lane 1 (local.get $hv)))
            (local.set $outT (i32.add (local.get $outT) (local.get $ldStateT)))
            (f32.store (local.get $outT) (f32x4.extract_lane 2 (local.get $hv)))
            (local.set $outT (i32.add (local.get $outT) (local.get $ldStateT)))
            (f32.store (local.get $outT) (f32x4.extract_lane 3 (local.get $hv)))
            (local.set $outT (i32.add (local.get $outT) (local.get $ldStateT)))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $hLoop)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $rows))))

  ;; For each of n rows: dh = dhOut + dhPrev, dc = dh o (1 - tanh(c)^2) + cellGrad, the gradients
  ;; before activation [dc g i(1-i); dc cPrev f(1-f); dh tanh(c) o(1-o); dc i (1-g^2)] into $dGates
  ;; (4h wide), and dc f into $cellGrad for the previous step.
  (func (export "cell_backward")
    (param $n i32) (param $h i32) (param $gates i32) (param $cPrev i32) (param $ct i32)
    (param $dhOut i32) (param $ldDhOut i32) (param $dhPrev i32) (param $ldDhPrev i32)
    (param $cellGrad i32) (param $dGates i32)
    (local $s i32) (local $j i32) (local $hb i32) (local $z i32) (local $dz i32) (local $cell i32)
    (local $a i32) (local $b i32)
    (local $i v128) (local $f v128) (local $o v128) (local $g v128) (local $tc v128)
    (local $dh v128) (local $dc v128)
    (local.set $hb (i32.shl (local.get $h) (i32.const 2)))
    (local.set $ldDhOut (i32.shl (local.get $ldDhOut) (i32.const 2)))
    (local.set $ldDhPrev (i32.shl (local.get $ldDhPrev) (i32.const 2)))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $s) (local.get $n)))
        (local.set $z (i32.add (local.get $gates) (i32.shl (i32.mul (local.get $s) (local.get $hb)) (i32.const 2))))
        (local.set $dz (i32.add (local.get $dGates) (i32.shl (i32.mul (local.get $s) (local.get $hb)) (i32.const 2))))
        (local.set $cell (i32.mul (local.get $s) (local.get $hb)))
        (local.set $a (i32.add (local.get $dhOut) (i32.mul (local.get $s) (local.get $ldDhOut))))
        (local.set $b (i32.add (local.get $dhPrev) (i32.mul (local.get $s) (local.get $ldDhPrev))))
        (local.set $j (i32.const 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_u (local.get $j) (local.get $hb)))
            (local.set $dh (f32x4.add (v128.load (local.get $a)) (v128.load (local.get $b))))
            (local.set $i (v128.load (local.get $z)))
            (local.set $f (v128.load (i32.add (local.get $z) (local.get $hb))))
            (local.set $o (v128.load (i32.add (local.get $z) (i32.shl (local.get $hb) (i32.const 1)))))
            (local.set $g (v128.load (i32.add (local.get $z) (i32.mul (local.get $hb) (i32.const 3)))))
            (local.set $tc (v128.load (i32.add (local.get $ct) (local.get $cell))))
            (local.set $dc (f32x4.add
              (f32x4.mul (f32x4.mul (local.get $dh) (local.get $o))
                (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $tc) (local.get $tc))))
              (v128.load (i32.add (local.get $cellGrad) (local.get $cell)))))
            (v128.store (local.get $dz)
              (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dc) (local.get $g)) (local.get $i))
                (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $i))))
            (v128.store (i32.add (local.get $dz) (local.get $hb))
              (f32x4.mul
                (f32x4.mul
                  (f32x4.mul (local.get $dc) (v128.load (i32.add (local.get $cPrev) (local.get $cell))))
                  (local.get $f))
                (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $f))))
            (v128.store (i32.add (local.get $dz) (i32.shl (local.get $hb) (i32.const 1)))
              (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dh) (local.get $tc)) (local.get $o))
                (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $o))))
            (v128.store (i32.add (local.get $dz) (i32.mul (local.get $hb) (i32.const 3)))
              (f32x4.mul (f32x4.mul (local.get $dc) (local.get $i))
                (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $g) (local.get $g)))))
            (v128.store (i32.add (local.get $cellGrad) (local.get $cell))
              (f32x4.mul (local.get $dc) (local.get $f)))
            (local.set $z (i32.add (local.get $z) (i32.const 16)))
            (local.set $dz (i32.add (local.get $dz) (i32.const 16)))
            (local.set $cell (i32.add (local.get $cell) (i32.const 16)))
            (local.set $a (i32.add (local.get $a) (i32.const 16)))
            (local.set $b (i32.add (local.get $b) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $cols)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $rows)))))
