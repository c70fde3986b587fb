;; Calls boxagnts.read_dir as its input says and prints what it got (ReadDirImportTest).
;; stdin: {"p":"HEX"}, HEX (lower case) decoding to: u32 out_ptr, u32 out_capacity, u32 path_ptr, u32 path_len, then
;; the path's bytes, which land at 2064 (the decoded request is at 2048). Little endian throughout.
;; stdout: {"r":"HEX"}: the result as an i32; when it is below -6 (the answer does not fit), the result of a second
;; call with out_capacity = minus the first; then the bytes written at out_ptr, if any.
;; Memory: 0 iovecs and counters, 1024 stdin, 2048 the request, 65536 a buffer for answers, 131072 the output text.
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "boxagnts" "read_dir" (func $read_dir (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 4 4)
  (global $out (mut i32) (i32.const 131072))

  (func $nibble (param $c i32) (result i32)
    (if (result i32) (i32.le_u (local.get $c) (i32.const 57))
      (then (i32.sub (local.get $c) (i32.const 48)))
      (else (i32.sub (local.get $c) (i32.const 87)))))

  (func $digit (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 10))
      (then (i32.add (local.get $n) (i32.const 48)))
      (else (i32.add (local.get $n) (i32.const 87)))))

  (func $put (param $c i32)
    (i32.store8 (global.get $out) (local.get $c))
    (global.set $out (i32.add (global.get $out) (i32.const 1))))

  ;; the len bytes at $at, in hex
  (func $hex (param $at i32) (param $len i32)
    (local $i i32) (local $b i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $b (i32.load8_u (i32.add (local.get $at) (local.get $i))))
        (call $put (call $digit (i32.shr_u (local.get $b) (i32.const 4))))
        (call $put (call $digit (i32.and (local.get $b) (i32.const 15))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))

  (func $hexi32 (param $v i32)
    (i32.store (i32.const 24) (local.get $v))
    (call $hex (i32.const 24) (i32.const 4)))

  (func $call (param $capacity i32) (result i32)
    (call $read_dir (i32.load (i32.const 2056)) (i32.load (i32.const 2060)) (i32.load (i32.const 2048))
      (local.get $capacity)))

  (func (export "_start")
    (local $n i32) (local $total i32) (local $i i32) (local $at i32) (local $r i32)
    (block $eof
      (loop $more
        (i32.store (i32.const 0) (i32.add (i32.const 1024) (local.get $total)))
        (i32.store (i32.const 4) (i32.sub (i32.const 1024) (local.get $total)))
        (br_if $eof (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 16)))
        (local.set $n (i32.load (i32.const 16)))
        (br_if $eof (i32.eqz (local.get $n)))
        (local.set $total (i32.add (local.get $total) (local.get $n)))
        (br $more)))
    ;; the hex digits start after {"p":" (6 bytes) and end at the closing quote
    (block $end
      (loop $pair
        (local.set $at (i32.add (i32.const 1030) (i32.shl (local.get $i) (i32.const 1))))
        (br_if $end (i32.eq (i32.load8_u (local.get $at)) (i32.const 34)))
        (i32.store8 (i32.add (i32.const 2048) (local.get $i))
          (i32.or (i32.shl (call $nibble (i32.load8_u (local.get $at))) (i32.const 4))
            (call $nibble (i32.load8_u (i32.add (local.get $at) (i32.const 1))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $pair)))
    ;; {"r":"
    (call $put (i32.const 123)) (call $put (i32.const 34)) (call $put (i32.const 114)) (call $put (i32.const 34))
    (call $put (i32.const 58)) (call $put (i32.const 34))
    (local.set $r (call $call (i32.load (i32.const 2052))))
    (call $hexi32 (local.get $r))
    (if (i32.lt_s (local.get $r) (i32.const -6))
      (then
        (local.set $r (call $call (i32.sub (i32.const 0) (local.get $r))))
        (call $hexi32 (local.get $r))))
    (if (i32.gt_s (local.get $r) (i32.const 0))
      (then (call $hex (i32.load (i32.const 2048)) (local.get $r))))
    ;; "}
    (call $put (i32.const 34)) (call $put (i32.const 125))
    (i32.store (i32.const 8) (i32.const 131072))
    (i32.store (i32.const 12) (i32.sub (global.get $out) (i32.const 131072)))
    (drop (call $fd_write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 20)))))
