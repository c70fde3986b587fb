#!/usr/bin/env python3
"""Generates the large repository of issue 13's benchmark, deterministically (same seed, same tree):
~100,000 files and ~1 GB in deep trees, a .gitignore at the root and further down that exclude about half of it
(build output, generated code, vendored dependencies), some binary files and some large files.

Usage: benchmarks/gen-repo.py DIR [files=100000] [megabytes=1000]
Writes into DIR.tmp and renames it to DIR when done; does nothing if DIR exists.
"""
import os
import random
import sys

WORDS = ("fn let mut struct impl pub use mod match self Some None Ok Err return where trait enum const static "
         "async await loop while for in if else Vec String HashMap Option Result Box Arc usize u8 i64 str").split()


def line_pool(rng):
    pool = []
    for n in range(1, 4097):
        if n % 40 == 0:
            pool.append(f"pub fn item_{rng.randrange(10**6)}_new(size: usize) -> Vec<u8> {{ vec![0; size] }}")
        elif n % 97 == 0:
            pool.append(f"    // TODO({rng.randrange(100)}): HashMap capacity")
        else:
            pool.append("    " + " ".join(rng.choice(WORDS) for _ in range(rng.randrange(3, 14))) + ";")
    return pool


def source(rng, pool, size):
    lines = rng.choices(pool, k=max(1, size // 48))
    return "\n".join(lines) + "\n"


def main():
    target = sys.argv[1]
    files = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    megabytes = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    if os.path.isdir(target):
        return
    rng = random.Random(13)
    pool = line_pool(rng)
    tmp = target + ".tmp"
    os.makedirs(tmp, exist_ok=True)
    with open(os.path.join(tmp, ".gitignore"), "w") as f:
        f.write("target/\nvendor/\n*.gen.rs\n")
    budget = megabytes << 20
    large = [budget // 40] * 4  # four files of ~25 MB (more than grep's 16 MB per-file limit)
    average = (budget - sum(large)) // files
    written = 0
    for i in range(files):
        # half of the files lie where .gitignore excludes them
        top = ("src", "crates", "tests")[i % 3] if i % 2 == 0 else ("target", "vendor")[i % 4 // 2]
        depth = 1 + (i // 7) % 7
        parts = [top] + [f"d{(i // (7 ** k)) % 7}" for k in range(1, depth)]
        directory = os.path.join(tmp, *parts)
        os.makedirs(directory, exist_ok=True)
        if i % 500 == 0:
            with open(os.path.join(directory, f"blob_{i}.bin"), "wb") as f:
                f.write(bytes(rng.randrange(256) for _ in range(4096)) + b"\0" * 4096)
            continue
        if i % 1000 == 1 and top == "src":
            with open(os.path.join(directory, ".gitignore"), "w") as f:
                f.write("*.tmp\n")
        size = large.pop() if large and i % 25_000 == 2 else max(200, int(rng.expovariate(1 / average)))
        name = f"file_{i}.gen.rs" if i % 10 == 4 else f"file_{i}.rs"
        with open(os.path.join(directory, name), "w") as f:
            f.write(source(rng, pool, size))
        written += size
    os.rename(tmp, target)
    print(f"{target}: {files} files, {written >> 20} MB of text")


if __name__ == "__main__":
    main()
