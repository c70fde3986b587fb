;; Imports a host function the sandbox does not have: refused by the extender's check (ReadDirImportTest).
(module
  (import "boxagnts" "read_file" (func $read_file (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1 1)
  (func (export "_start")))
