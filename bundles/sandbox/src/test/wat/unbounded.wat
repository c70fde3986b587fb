;; Hostile: declares no memory maximum at all (refused before it runs).
(module
  (memory (export "memory") 1)
  (func (export "_start")))
