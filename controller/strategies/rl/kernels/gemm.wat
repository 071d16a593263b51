;; Single-precision matrix product C (+)= A B for the RL controller's policy gradient, in
;; WebAssembly SIMD (f32x4). All matrices are row-major in this module's memory; addresses are byte
;; offsets and leading dimensions count floats. The column count n must be a multiple of 4 (callers
;; pad their buffers); m and k are free.
;;
;; Register blocking: a 4 x 8 tile of C stays in 8 vector accumulators while the k loop streams one
;; row of B (two vectors) and broadcasts four values of A. 4 x 4, 1 x 8 and 1 x 4 tiles cover the
;; edges. Every element of C sums its k products in increasing k order, so results are deterministic
;; and independent of the tiling.
;;
;; Two helpers for the products' operands: a row add (scatter-adds) and a transpose.
;;
;; Generated into gemm-wasm.gen.ts by scripts/wasm-gen.ts (npm run wasm:gen).
(module
  (memory (export "memory") 1)

  ;; C[m, n] = A[m, k] B[k, n], plus C's old values when $acc is nonzero.
  (func (export "gemm")
    (param $m i32) (param $n i32) (param $k i32)
    (param $a i32) (param $lda i32) (param $b i32) (param $ldb i32)
    (param $c i32) (param $ldc i32) (param $acc i32)
    (local $i i32)
    (local.set $lda (i32.shl (local.get $lda) (i32.const 2)))
    (local.set $ldb (i32.shl (local.get $ldb) (i32.const 2)))
    (local.set $ldc (i32.shl (local.get $ldc) (i32.const 2)))
    (block $done4
      (loop $rows4
        (br_if $done4 (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $m)))
        (call $rows4 (local.get $n) (local.get $k) (local.get $a) (local.get $lda)
          (local.get $b) (local.get $ldb) (local.get $c) (local.get $ldc) (local.get $acc))
        (local.set $a (i32.add (local.get $a) (i32.shl (local.get $lda) (i32.const 2))))
        (local.set $c (i32.add (local.get $c) (i32.shl (local.get $ldc) (i32.const 2))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $rows4)))
    (block $done1
      (loop $rows1
        (br_if $done1 (i32.ge_u (local.get $i) (local.get $m)))
        (call $rows1 (local.get $n) (local.get $k) (local.get $a)
          (local.get $b) (local.get $ldb) (local.get $c) (local.get $acc))
        (local.set $a (i32.add (local.get $a) (local.get $lda)))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows1))))

  ;; Four rows of C: 4 x 8 tiles, then one 4 x 4 tile if four columns remain.
  (func $rows4
    (param $n i32) (param $k i32) (param $a i32) (param $lda i32)
    (param $b i32) (param $ldb i32) (param $c i32) (param $ldc i32) (param $acc i32)
    (local $j i32)
    (block $done
      (loop $cols
        (br_if $done (i32.gt_u (i32.add (local.get $j) (i32.const 8)) (local.get $n)))
        (call $tile4x8 (local.get $k) (local.get $a) (local.get $lda)
          (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))) (local.get $ldb)
          (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))) (local.get $ldc)
          (local.get $acc))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $cols)))
    (if (i32.lt_u (local.get $j) (local.get $n))
      (then
        (call $tile4x4 (local.get $k) (local.get $a) (local.get $lda)
          (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))) (local.get $ldb)
          (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))) (local.get $ldc)
          (local.get $acc)))))

  ;; One row of C: 1 x 8 tiles, then one 1 x 4 tile if four columns remain.
  (func $rows1
    (param $n i32) (param $k i32) (param $a i32)
    (param $b i32) (param $ldb i32) (param $c i32) (param $acc i32)
    (local $j i32)
    (block $done
      (loop $cols
        (br_if $done (i32.gt_u (i32.add (local.get $j) (i32.const 8)) (local.get $n)))
        (call $tile1x8 (local.get $k) (local.get $a)
          (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))) (local.get $ldb)
          (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))) (local.get $acc))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $cols)))
    (if (i32.lt_u (local.get $j) (local.get $n))
      (then
        (call $tile1x4 (local.get $k) (local.get $a)
          (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))) (local.get $ldb)
          (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))) (local.get $acc)))))

  (func $tile4x8
    (param $k i32) (param $a0 i32) (param $lda i32) (param $b i32) (param $ldb i32)
    (param $c0 i32) (param $ldc i32) (param $acc i32)
    (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $end i32)
    (local $c1 i32) (local $c2 i32) (local $c3 i32)
    (local $x v128) (local $b0 v128) (local $b1 v128)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local $s20 v128) (local $s21 v128) (local $s30 v128) (local $s31 v128)
    (local.set $a1 (i32.add (local.get $a0) (local.get $lda)))
    (local.set $a2 (i32.add (local.get $a1) (local.get $lda)))
    (local.set $a3 (i32.add (local.get $a2) (local.get $lda)))
    (local.set $c1 (i32.add (local.get $c0) (local.get $ldc)))
    (local.set $c2 (i32.add (local.get $c1) (local.get $ldc)))
    (local.set $c3 (i32.add (local.get $c2) (local.get $ldc)))
    (if (local.get $acc)
      (then
        (local.set $s00 (v128.load (local.get $c0)))
        (local.set $s01 (v128.load offset=16 (local.get $c0)))
        (local.set $s10 (v128.load (local.get $c1)))
        (local.set $s11 (v128.load offset=16 (local.get $c1)))
        (local.set $s20 (v128.load (local.get $c2)))
        (local.set $s21 (v128.load offset=16 (local.get $c2)))
        (local.set $s30 (v128.load (local.get $c3)))
        (local.set $s31 (v128.load offset=16 (local.get $c3)))))
    (local.set $end (i32.add (local.get $a0) (i32.shl (local.get $k) (i32.const 2))))
    (block $done
      (loop $dot
        (br_if $done (i32.ge_u (local.get $a0) (local.get $end)))
        (local.set $b0 (v128.load (local.get $b)))
        (local.set $b1 (v128.load offset=16 (local.get $b)))
        (local.set $x (v128.load32_splat (local.get $a0)))
        (local.set $s00 (f32x4.add (local.get $s00) (f32x4.mul (local.get $x) (local.get $b0))))
        (local.set $s01 (f32x4.add (local.get $s01) (f32x4.mul (local.get $x) (local.get $b1))))
        (local.set $x (v128.load32_splat (local.get $a1)))
        (local.set $s10 (f32x4.add (local.get $s10) (f32x4.mul (local.get $x) (local.get $b0))))
        (local.set $s11 (f32x4.add (local.get $s11) (f32x4.mul (local.get $x) (local.get $b1))))
        (local.set $x (v128.load32_splat (local.get $a2)))
        (local.set $s20 (f32x4.add (local.get $s20) (f32x4.mul (local.get $x) (local.get $b0))))
        (local.set $s21 (f32x4.add (local.get $s21) (f32x4.mul (local.get $x) (local.get $b1))))
        (local.set $x (v128.load32_splat (local.get $a3)))
        (local.set $s30 (f32x4.add (local.get $s30) (f32x4.mul (local.get $x) (local.get $b0))))
        (local.set $s31 (f32x4.add (local.get $s31) (f32x4.mul (local.get $x) (local.get $b1))))
        (local.set $a0 (i32.add (local.get $a0) (i32.const 4)))
        (local.set $a1 (i32.add (local.get $a1) (i32.const 4)))
        (local.set $a2 (i32.add (local.get $a2) (i32.const 4)))
        (local.set $a3 (i32.add (local.get $a3) (i32.const 4)))
        (local.set $b (i32.add (local.get $b) (local.get $ldb)))
        (br $dot)))
    (v128.store (local.get $c0) (local.get $s00))
    (v128.store offset=16 (local.get $c0) (local.get $s01))
    (v128.store (local.get $c1) (local.get $s10))
    (v128.store offset=16 (local.get $c1) (local.get $s11))
    (v128.store (local.get $c2) (local.get $s20))
    (v128.store offset=16 (local.get $c2) (local.get $s21))
    (v128.store (local.get $c3) (local.get $s30))
    (v128.store offset=16 (local.get $c3) (local.get $s31)))

  (func $tile4x4
    (param $k i32) (param $a0 i32) (param $lda i32) (param $b i32) (param $ldb i32)
    (param $c0 i32) (param $ldc i32) (param $acc i32)
    (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $end i32)
    (local $c1 i32) (local $c2 i32) (local $c3 i32)
    (local $b0 v128) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $a1 (i32.add (local.get $a0) (local.get $lda)))
    (local.set $a2 (i32.add (local.get $a1) (local.get $lda)))
    (local.set $a3 (i32.add (local.get $a2) (local.get $lda)))
    (local.set $c1 (i32.add (local.get $c0) (local.get $ldc)))
    (local.set $c2 (i32.add (local.get $c1) (local.get $ldc)))
    (local.set $c3 (i32.add (local.get $c2) (local.get $ldc)))
    (if (local.get $acc)
      (then
        (local.set $s0 (v128.load (local.get $c0)))
        (local.set $s1 (v128.load (local.get $c1)))
        (local.set $s2 (v128.load (local.get $c2)))
        (local.set $s3 (v128.load (local.get $c3)))))
    (local.set $end (i32.add (local.get $a0) (i32.shl (local.get $k) (i32.const 2))))
    (block $done
      (loop $dot
        (br_if $done (i32.ge_u (local.get $a0) (local.get $end)))
        (local.set $b0 (v128.load (local.get $b)))
        (local.set $s0 (f32x4.add (local.get $s0)
          (f32x4.mul (v128.load32_splat (local.get $a0)) (local.get $b0))))
        (local.set $s1 (f32x4.add (local.get $s1)
          (f32x4.mul (v128.load32_splat (local.get $a1)) (local.get $b0))))
        (local.set $s2 (f32x4.add (local.get $s2)
          (f32x4.mul (v128.load32_splat (local.get $a2)) (local.get $b0))))
        (local.set $s3 (f32x4.add (local.get $s3)
          (f32x4.mul (v128.load32_splat (local.get $a3)) (local.get $b0))))
        (local.set $a0 (i32.add (local.get $a0) (i32.const 4)))
        (local.set $a1 (i32.add (local.get $a1) (i32.const 4)))
        (local.set $a2 (i32.add (local.get $a2) (i32.const 4)))
        (local.set $a3 (i32.add (local.get $a3) (i32.const 4)))
        (local.set $b (i32.add (local.get $b) (local.get $ldb)))
        (br $dot)))
    (v128.store (local.get $c0) (local.get $s0))
    (v128.store (local.get $c1) (local.get $s1))
    (v128.store (local.get $c2) (local.get $s2))
    (v128.store (local.get $c3) (local.get $s3)))

  (func $tile1x8
    (param $k i32) (param $a i32) (param $b i32) (param $ldb i32) (param $c i32) (param $acc i32)
    (local $end i32) (local $x v128) (local $s0 v128) (local $s1 v128)
    (if (local.get $acc)
      (then
        (local.set $s0 (v128.load (local.get $c)))
        (local.set $s1 (v128.load offset=16 (local.get $c)))))
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $k) (i32.const 2))))
    (block $done
      (loop $dot
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $x (v128.load32_splat (local.get $a)))
        (local.set $s0 (f32x4.add (local.get $s0)
          (f32x4.mul (local.get $x) (v128.load (local.get $b)))))
        (local.set $s1 (f32x4.add (local.get $s1)
          (f32x4.mul (local.get $x) (v128.load offset=16 (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (local.set $b (i32.add (local.get $b) (local.get $ldb)))
        (br $dot)))
    (v128.store (local.get $c) (local.get $s0))
    (v128.store offset=16 (local.get $c) (local.get $s1)))

  (func $tile1x4
    (param $k i32) (param $a i32) (param $b i32) (param $ldb i32) (param $c i32) (param $acc i32)
    (local $end i32) (local $s0 v128)
    (if (local.get $acc)
      (then (local.set $s0 (v128.load (local.get $c)))))
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $k) (i32.const 2))))
    (block $done
      (loop $dot
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $s0 (f32x4.add (local.get $s0)
          (f32x4.mul (v128.load32_splat (local.get $a)) (v128.load (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (local.set $b (i32.add (local.get $b) (local.get $ldb)))
        (br $dot)))
    (v128.store (local.get $c) (local.get $s0)))

  ;; dst[0, count) += src[0, count), count a multiple of 4: one row of a scatter-add.
  (func (export "add") (param $count i32) (param $src i32) (param $dst i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        (v128.store (local.get $dst)
          (f32x4.add (v128.load (local.get $dst)) (v128.load (local.get $src))))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br $each))))

  ;; dst[c, r] = src[r, c] for a [rows, cols] matrix src, row strides $lds and $ldd in floats.
  (func (export "transpose")
    (param $rows i32) (param $cols i32) (param $src i32) (param $lds i32) (param $dst i32)
    (param $ldd i32)
    (local $r i32) (local $c i32) (local $from i32) (local $to i32)
    (local.set $lds (i32.shl (local.get $lds) (i32.const 2)))
    (local.set $ldd (i32.shl (local.get $ldd) (i32.const 2)))
    (block $rowsDone
      (loop $eachRow
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $from (i32.add (local.get $src) (i32.mul (local.get $r) (local.get $lds))))
        (local.set $to (i32.add (local.get $dst) (i32.shl (local.get $r) (i32.const 2))))
        (local.set $c (i32.const 0))
        (block $colsDone
          (loop $eachCol
            (br_if $colsDone (i32.ge_u (local.get $c) (local.get $cols)))
            (f32.store (local.get $to) (f32.load (local.get $from)))
            (local.set $from (i32.add (local.get $from) (i32.const 4)))
            (local.set $to (i32.add (local.get $to) (local.get $ldd)))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $eachCol)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $eachRow)))))
