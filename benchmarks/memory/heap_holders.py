#!/usr/bin/env python3
"""Who holds the byte[] arrays of a heap dump (HPROF, as `jcmd PID GC.heap_dump FILE` writes it, live objects only).

Usage: benchmarks/memory/heap_holders.py HEAP.hprof [MIN_BYTES=4096]

Prints the byte[] total by size, then, for the arrays of at least MIN_BYTES, the fields (class.field) and object
arrays that refer to them: the distinct bytes each holder refers to, in how many arrays, by how many references. An
array several holders share (a tool module's bytes, held by the tool and by its Source) is listed under each of them
and counted once in the total. The class histogram (`jcmd GC.class_histogram`) says what kinds of objects the heap
holds; this says which fields keep the large arrays the histogram lumps into one `[B` line. No dependencies: it reads
the format itself (64-bit identifiers).
"""
import collections
import mmap
import struct
import sys

SIZES = {2: 8, 4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}  # HPROF basic types: object, boolean, char, ...
ROOT_SIZES = {0xFF: 8, 0x01: 16, 0x02: 16, 0x03: 16, 0x04: 12, 0x05: 8, 0x06: 12, 0x07: 8, 0x08: 16}


def main(path, min_bytes):
    with open(path, 'rb') as f:
        m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    p = m.find(b'\0') + 1
    if struct.unpack('>I', m[p:p + 4])[0] != 8:
        raise SystemExit('only 64-bit identifiers are read')
    p += 12

    def ref(o):
        return struct.unpack_from('>Q', m, o)[0]

    def u4(o):
        return struct.unpack_from('>I', m, o)[0]

    def u2(o):
        return struct.unpack_from('>H', m, o)[0]

    strings, class_names, classes = {}, {}, {}  # classes: id -> (superclass id, [(field, type)])
    arrays = {}  # byte[] id -> length
    instances, object_arrays = [], []  # (class id, data offset), (data offset, length)
    while p < len(m):
        tag, length, body = m[p], u4(p + 5), p + 9
        p = body + length
        if tag == 0x01:
            strings[ref(body)] = m[body + 8:body + length].decode('utf-8', 'replace')
        elif tag == 0x02:
            class_names[ref(body + 4)] = strings.get(ref(body + 16), '?').replace('/', '.')
        elif tag in (0x0C, 0x1C):
            q = body
            while q < body + length:
                sub = m[q]
                q += 1
                if sub in ROOT_SIZES:
                    q += ROOT_SIZES[sub]
                elif sub == 0x20:  # class: id, serial, super, loader, signers, domain, 2 reserved, instance size
                    cid, sup = ref(q), ref(q + 12)
                    q += 8 + 4 + 8 * 6 + 4
                    count = u2(q)
                    q += 2
                    for _ in range(count):  # constant pool: index, type, value
                        q += 3 + SIZES[m[q + 2]]
                    count = u2(q)
                    q += 2
                    for _ in range(count):  # static fields: name, type, value
                        q += 9 + SIZES[m[q + 8]]
                    count = u2(q)
                    q += 2
                    fields = []
                    for _ in range(count):  # instance fields: name, type
                        fields.append((strings.get(ref(q), '?'), m[q + 8]))
                        q += 9
                    classes[cid] = (sup, fields)
                elif sub == 0x21:  # instance: id, serial, class, length, field values
                    instances.append((ref(q + 12), q + 24))
                    q += 24 + u4(q + 20)
                elif sub == 0x22:  # object array: id, serial, length, class, elements
                    object_arrays.append((q + 24, u4(q + 12)))
                    q += 24 + 8 * u4(q + 12)
                elif sub == 0x23:  # primitive array: id, serial, length, type, elements
                    n, kind = u4(q + 12), m[q + 16]
                    if kind == 8:
                        arrays[ref(q)] = n
                    q += 17 + n * SIZES[kind]
                else:
                    raise SystemExit('unknown heap dump record 0x%x at %d' % (sub, q))

    buckets = [(1 << 10, '< 1 KiB'), (1 << 16, '1-64 KiB'), (1 << 20, '64 KiB-1 MiB'), (1 << 62, '>= 1 MiB')]
    by_bucket = collections.Counter()
    for n in arrays.values():
        by_bucket[next(label for limit, label in buckets if n < limit)] += n
    print('byte[]: %d arrays, %.1f MB' % (len(arrays), sum(arrays.values()) / 1e6))
    for _, label in buckets:
        print('  %-13s %7.1f MB' % (label, by_bucket[label] / 1e6))

    large = {a for a, n in arrays.items() if n >= min_bytes}
    held, refs = collections.defaultdict(set), collections.Counter()  # holder -> distinct arrays, references
    layouts = {}
    for cid, offset in instances:
        layout = layouts.get(cid)
        if layout is None:
            layout, c = [], cid
            while c in classes:  # the instance's fields come first, then its superclass's
                layout.extend(classes[c][1])
                c = classes[c][0]
            layouts[cid] = layout
        q = offset
        for name, kind in layout:
            if kind == 2 and ref(q) in large:
                holder = class_names.get(cid, '?') + '.' + name
                held[holder].add(ref(q))
                refs[holder] += 1
            q += SIZES[kind]
    for offset, n in object_arrays:
        for i in range(n):
            if ref(offset + 8 * i) in large:
                held['(an element of an Object[])'].add(ref(offset + 8 * i))
                refs['(an element of an Object[])'] += 1
    print('byte[] of at least %d bytes: %d arrays, %.1f MB; held by:' % (
        min_bytes, len(large), sum(arrays[a] for a in large) / 1e6))
    sizes = {holder: sum(arrays[a] for a in held[holder]) for holder in held}
    print('       MB  arrays    refs  holder')
    for holder in sorted(sizes, key=sizes.get, reverse=True)[:20]:
        print('  %7.2f %7d %7d  %s' % (sizes[holder] / 1e6, len(held[holder]), refs[holder], holder))


if __name__ == '__main__':
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 4096)
