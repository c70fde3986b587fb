#!/usr/bin/env python3
"""Generates a deterministic text corpus for grep benchmarks: 2,700 files, ~38 MB.
usage: gen-corpus.py OUT_DIR [files=2700] [target_mb=38]"""
import os, random, sys

out = sys.argv[1]
nfiles = int(sys.argv[2]) if len(sys.argv) > 2 else 2700
target = int(sys.argv[3]) if len(sys.argv) > 3 else 38
rng = random.Random(42)
words = ("alpha beta gamma delta epsilon value result error index buffer stream reader writer "
         "config module plugin agent runtime sandbox memory thread socket request response "
         "handler factory service registry token cache queue event listener session").split()
per_file = target * 1024 * 1024 // nfiles
for i in range(nfiles):
    d = os.path.join(out, f"pkg{i % 30:02d}", f"sub{i % 7}")
    os.makedirs(d, exist_ok=True)
    ext = (".java", ".rs", ".txt", ".md", ".py")[i % 5]
    lines, size = [], 0
    while size < per_file:
        r = rng.random()
        if r < 0.0025:
            line = f"    // TODO({rng.choice(words)}): fix {rng.choice(words)} {rng.randint(1, 999)}"
        elif r < 0.004:
            line = f"    throw new IllegalStateException(\"{rng.choice(words)} failed\");"
        else:
            line = "    " + " ".join(rng.choice(words) for _ in range(rng.randint(4, 12))) + ";"
        lines.append(line)
        size += len(line) + 1
    with open(os.path.join(d, f"file{i:04d}{ext}"), "w") as f:
        f.write("\n".join(lines) + "\n")
