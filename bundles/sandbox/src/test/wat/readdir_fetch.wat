;; Imports both host functions (ReadDirImportTest): asks read_dir for the workspace root with no room for the answer
;; and web_fetch with a request outside its memory, and exits with the bytes the listing needs when web_fetch said -1
;; (invalid arguments), else with 1.
(module
  (import "boxagnts" "web_fetch" (func $web_fetch (param i32 i32 i32 i32) (result i32)))
  (import "boxagnts" "read_dir" (func $read_dir (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1 1)
  (func (export "_start")
    (local $needed i32)
    (local.set $needed (i32.sub (i32.const 0) (call $read_dir (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))))
    (if (i32.eq (call $web_fetch (i32.const 65530) (i32.const 100) (i32.const 0) (i32.const 0)) (i32.const -1))
      (then (call $proc_exit (local.get $needed))))
    (call $proc_exit (i32.const 1))))
