;; Hostile: grows its memory until the declared maximum (16 MiB) refuses, then traps as an allocator would.
(module
  (memory (export "memory") 1 256)
  (func (export "_start")
    (loop $grow
      (br_if $grow (i32.ne (memory.grow (i32.const 16)) (i32.const -1))))
    unreachable))
