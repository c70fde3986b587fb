;; The trivial tool: copies stdin to stdout (a JSON object in, the same object out).
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 2 2)
  ;; iovec at 0: buffer at 1024, length 64 KiB - 1024; bytes read at 16
  (func (export "_start")
    (local $n i32)
    (i32.store (i32.const 0) (i32.const 1024))
    (i32.store (i32.const 4) (i32.const 64512))
    (block $done
      (loop $more
        (br_if $done (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 16)))
        (local.set $n (i32.load (i32.const 16)))
        (br_if $done (i32.eqz (local.get $n)))
        (i32.store (i32.const 8) (i32.const 1024))
        (i32.store (i32.const 12) (local.get $n))
        (drop (call $fd_write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 20)))
        (br $more)))))
