;; Hostile: opens the file "a.txt" of its workspace 5,000 times without closing; exits with 7 when an open fails.
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1 1)
  (data (i32.const 64) "a.txt")
  (func (export "_start")
    (local $i i32)
    (loop $again
      (if (call $path_open (i32.const 3) (i32.const 0) (i32.const 64) (i32.const 5) (i32.const 0)
                           (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 16))
        (then (call $proc_exit (i32.const 7))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get $i) (i32.const 5000))))))
