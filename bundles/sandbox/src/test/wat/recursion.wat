;; Hostile: recurses without end.
(module
  (memory (export "memory") 1 1)
  (func $down (param $n i32) (result i32)
    (i32.add (i32.const 1) (call $down (i32.add (local.get $n) (i32.const 1)))))
  (func (export "_start") (drop (call $down (i32.const 0)))))
