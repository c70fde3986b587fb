;; For boxagnts tool run: writes its program arguments, then a newline, its environment, then a newline, then the
;; guest path of its first preopened directory (none: nothing), each string NUL-terminated as WASI hands them over.
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $env_sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $env_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_get" (func $prestat (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_dir_name" (func $dir_name (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1 1)
  (data (i32.const 60000) "\n")
  ;; write LEN bytes at PTR to stdout (iovec at 16, bytes written at 24)
  (func $write (param $ptr i32) (param $len i32)
    (i32.store (i32.const 16) (local.get $ptr))
    (i32.store (i32.const 20) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24))))
  (func (export "_start")
    ;; arguments: count at 0, buffer size at 4, pointers at 1024, strings at 4096
    (drop (call $args_sizes (i32.const 0) (i32.const 4)))
    (drop (call $args_get (i32.const 1024) (i32.const 4096)))
    (call $write (i32.const 4096) (i32.load (i32.const 4)))
    (call $write (i32.const 60000) (i32.const 1))
    ;; environment: count at 32, buffer size at 36, pointers at 2048, strings at 12288
    (drop (call $env_sizes (i32.const 32) (i32.const 36)))
    (drop (call $env_get (i32.const 2048) (i32.const 12288)))
    (call $write (i32.const 12288) (i32.load (i32.const 36)))
    (call $write (i32.const 60000) (i32.const 1))
    ;; the first preopened directory (fd 3): its guest path, at 20480
    (if (i32.eqz (call $prestat (i32.const 3) (i32.const 64)))
      (then
        (drop (call $dir_name (i32.const 3) (i32.const 20480) (i32.load (i32.const 68))))
        (call $write (i32.const 20480) (i32.load (i32.const 68)))))))
