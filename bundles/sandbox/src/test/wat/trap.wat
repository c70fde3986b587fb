;; Hostile: traps at once (an unreachable instruction), as a module with a bug does.
(module
  (memory (export "memory") 1 1)
  (func (export "_start") unreachable))
