//! Text filters: cat head tail wc uniq cut tr tac rev nl paste.

use super::{all_inputs, input, lines, opts, parse_count, Parsed};
use crate::io::Io;
use crate::shell::Shell;

fn files_or_stdin(operands: &[String]) -> Vec<String> {
    if operands.is_empty() {
        vec!["-".to_string()]
    } else {
        operands.to_vec()
    }
}

pub fn cat(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let p = match opts("cat", argv, "nbsEAvTeu", &[("number", 'n'), ("number-nonblank", 'b'), ("squeeze-blank", 's'), ("show-ends", 'E'), ("show-all", 'A')], io, 1) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let number = p.has('n');
    let nonblank = p.has('b');
    let squeeze = p.has('s');
    let ends = p.has('E') || p.has('A') || p.has('e');
    let tabs = p.has('T') || p.has('A');
    let nonprinting = p.has('v') || p.has('A') || p.has('e');
    let mut status = 0;
    let mut n = 0;
    let mut prev_blank = false;
    for f in files_or_stdin(&p.operands) {
        let data = match input(sh, io, "cat", &f) {
            Some(d) => d,
            None => {
                status = 1;
                continue;
            }
        };
        if !number && !nonblank && !squeeze && !ends && !tabs && !nonprinting {
            io.write(&data);
            continue;
        }
        let mut out = Vec::new();
        let nl_end = data.ends_with(b"\n");
        let ls = lines(&data);
        let count = ls.len();
        for (k, l) in ls.into_iter().enumerate() {
            let blank = l.is_empty();
            if squeeze && blank && prev_blank {
                continue;
            }
            prev_blank = blank;
            if (number && !nonblank) || (nonblank && !blank) {
                n += 1;
                out.extend_from_slice(format!("{:6}\t", n).as_bytes());
            }
            if tabs || nonprinting {
                out.extend_from_slice(&visible(l, tabs, nonprinting));
            } else {
                out.extend_from_slice(l);
            }
            if k + 1 < count || nl_end {
                if ends {
                    out.push(b'$');
                }
                out.push(b'\n');
            }
        }
        io.write(&out);
    }
    status
}

/// cat -T / -v: tabs as ^I, control characters as ^X, bytes above 127 as M-X.
fn visible(l: &[u8], tabs: bool, nonprinting: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(l.len());
    for &b in l {
        if b == b'\t' {
            if tabs {
                out.extend_from_slice(b"^I");
            } else {
                out.push(b);
            }
            continue;
        }
        if !nonprinting {
            out.push(b);
            continue;
        }
        let mut c = b;
        if c >= 128 {
            out.extend_from_slice(b"M-");
            c -= 128;
        }
        if c < 32 {
            out.push(b'^');
            out.push(c + 64);
        } else if c == 127 {
            out.extend_from_slice(b"^?");
        } else {
            out.push(c);
        }
    }
    out
}

/// `-5` / `+5` as the first argument means `-n 5` / `-n +5` (head, tail).
fn numeric_shorthand(argv: &[String]) -> Vec<String> {
    let mut v = argv.to_vec();
    if let Some(a) = v.get(1).cloned() {
        let digits = &a[1..];
        if a.len() > 1 && (a.starts_with('-') || a.starts_with('+')) && digits.chars().all(|c| c.is_ascii_digit()) {
            let n = if a.starts_with('+') { a.clone() } else { digits.to_string() };
            v.splice(1..2, vec!["-n".to_string(), n]);
        }
    }
    v
}

fn header(io: &Io, name: &str, first: bool) {
    let shown = if name == "-" { "standard input" } else { name };
    io.print(&format!("{}==> {} <==\n", if first { "" } else { "\n" }, shown));
}

/// head/tail's count: bytes (-c) or lines (-n), whichever came last, its text and its value.
fn count_option(name: &str, p: &Parsed, io: &Io) -> Option<(bool, String, usize)> {
    let (bytes, spec) = match p.opts.iter().rev().find(|(k, _)| *k == 'c' || *k == 'n').cloned() {
        Some(('c', v)) => (true, v),
        Some((_, v)) => (false, v),
        None => (false, "10".to_string()),
    };
    match parse_count(spec.trim_start_matches('-')) {
        Some(n) => Some((bytes, spec, n as usize)),
        None => {
            io.error(name, &format!("invalid number of {}: '{}'", if bytes { "bytes" } else { "lines" }, spec));
            None
        }
    }
}

/// Runs `f` on each operand's content (stdin when none), with `==> NAME <==` headers for several.
fn each_input<F: FnMut(&[u8])>(sh: &Shell, io: &Io, name: &str, p: &Parsed, mut f: F) -> i32 {
    let files = files_or_stdin(&p.operands);
    let show = (files.len() > 1 && !p.has('q')) || p.has('v');
    let mut status = 0;
    for (k, file) in files.iter().enumerate() {
        match input(sh, io, name, file) {
            Some(data) => {
                if show {
                    header(io, file, k == 0);
                }
                f(&data);
            }
            None => status = 1,
        }
    }
    status
}

pub fn head(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let argv = numeric_shorthand(argv);
    let p = match opts("head", &argv, "n:c:qv", &[("lines=", 'n'), ("bytes=", 'c'), ("quiet", 'q'), ("silent", 'q'), ("verbose", 'v')], io, 1) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let (bytes, spec, n) = match count_option("head", &p, io) {
        Some(c) => c,
        None => return 1,
    };
    let all_but = spec.starts_with('-');
    each_input(sh, io, "head", &p, |data| {
        if bytes {
            let end = if all_but { data.len().saturating_sub(n) } else { n.min(data.len()) };
            io.write(&data[..end]);
        } else {
            let ends: Vec<usize> = data.iter().enumerate().filter(|(_, &b)| b == b'\n').map(|(i, _)| i + 1).collect();
            let total = ends.len() + if data.ends_with(b"\n") || data.is_empty() { 0 } else { 1 };
            let keep = if all_but { total.saturating_sub(n) } else { n.min(total) };
            let end = if keep == 0 { 0 } else { ends.get(keep - 1).cloned().unwrap_or(data.len()) };
            io.write(&data[..end]);
        }
    })
}

pub fn tail(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let argv = numeric_shorthand(argv);
    let p = match opts("tail", &argv, "n:c:qvfF", &[("lines=", 'n'), ("bytes=", 'c'), ("quiet", 'q'), ("silent", 'q'), ("verbose", 'v'), ("follow", 'f')], io, 1) {
        Ok(p) => p,
        Err(c) => return c,
    };
    if p.has('f') || p.has('F') {
        io.error("tail", "-f: following a file is not available in the sandbox (a call ends when its command does)");
        return 1;
    }
    let (bytes, spec, n) = match count_option("tail", &p, io) {
        Some(c) => c,
        None => return 1,
    };
    let from_start = spec.starts_with('+');
    each_input(sh, io, "tail", &p, |data| {
        if bytes {
            let start = if from_start { n.saturating_sub(1).min(data.len()) } else { data.len().saturating_sub(n) };
            io.write(&data[start..]);
            return;
        }
        let mut starts = vec![0usize];
        for (i, &b) in data.iter().enumerate() {
            if b == b'\n' && i + 1 < data.len() {
                starts.push(i + 1);
            }
        }
        if data.is_empty() {
            starts.clear();
        }
        let total = starts.len();
        let first = if from_start { n.saturating_sub(1) } else { total.saturating_sub(n) };
        if first < total {
            io.write(&data[starts[first]..]);
        }
    })
}

struct Counts {
    lines: u64,
    words: u64,
    bytes: u64,
    chars: u64,
    max_line: u64,
}

fn count(data: &[u8]) -> Counts {
    let mut c = Counts { lines: 0, words: 0, bytes: data.len() as u64, chars: 0, max_line: 0 };
    let mut in_word = false;
    let mut line_len = 0u64;
    for &b in data {
        if b == b'\n' {
            c.lines += 1;
            c.max_line = c.max_line.max(line_len);
            line_len = 0;
        } else if b == b'\t' {
            line_len = (line_len / 8 + 1) * 8;
        } else if (b & 0xC0) != 0x80 {
            line_len += 1;
        }
        if (b & 0xC0) != 0x80 {
            c.chars += 1;
        }
        let space = matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
        if space {
            in_word = false;
        } else if !in_word {
            in_word = true;
            c.words += 1;
        }
    }
    c.max_line = c.max_line.max(line_len);
    c
}

pub fn wc(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let p = match opts("wc", argv, "lwcmL", &[("lines", 'l'), ("words", 'w'), ("bytes", 'c'), ("chars", 'm'), ("max-line-length", 'L')], io, 1) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let mut which: Vec<char> = ['l', 'w', 'm', 'c', 'L'].iter().cloned().filter(|c| p.has(*c)).collect();
    if which.is_empty() {
        which = vec!['l', 'w', 'c'];
    }
    let files = files_or_stdin(&p.operands);
    let mut results: Vec<(Option<Counts>, String)> = Vec::new();
    let mut status = 0;
    let mut regular_total = 0u64;
    let mut min_width = 1;
    for f in &files {
        if f == "-" {
            let from_file = io.input.borrow().from_file;
            let d = io.read_all();
            if from_file {
                regular_total += d.len() as u64;
            } else {
                min_width = 7;
            }
            results.push((Some(count(&d)), if p.operands.is_empty() { String::new() } else { f.clone() }));
            continue;
        }
        if sh.fs.is_dir(f) {
            io.error("wc", &format!("{}: Is a directory", f));
            results.push((Some(count(b"")), f.clone()));
            status = 1;
            continue;
        }
        match input(sh, io, "wc", f) {
            Some(d) => {
                regular_total += d.len() as u64;
                results.push((Some(count(&d)), f.clone()));
            }
            None => {
                status = 1;
                results.push((None, f.clone()));
            }
        }
    }
    let first_failed = results.first().map(|r| r.0.is_none()).unwrap_or(false);
    let mut width = 1;
    if !first_failed {
        let mut t = regular_total;
        while t >= 10 {
            width += 1;
            t /= 10;
        }
        width = width.max(min_width);
    }
    if which.len() == 1 && files.len() == 1 {
        width = 1;
    }
    let get = |c: &Counts, k: char| match k {
        'l' => c.lines,
        'w' => c.words,
        'm' => c.chars,
        'c' => c.bytes,
        _ => c.max_line,
    };
    let mut total = Counts { lines: 0, words: 0, bytes: 0, chars: 0, max_line: 0 };
    for (c, name) in &results {
        if let Some(c) = c {
            total.lines += c.lines;
            total.words += c.words;
            total.bytes += c.bytes;
            total.chars += c.chars;
            total.max_line = total.max_line.max(c.max_line);
            let nums: Vec<String> = which.iter().map(|&k| format!("{:>w$}", get(c, k), w = width)).collect();
            let mut line = nums.join(" ");
            if !name.is_empty() {
                line.push(' ');
                line.push_str(name);
            }
            io.print(&format!("{}\n", line));
        }
    }
    if files.len() > 1 {
        let nums: Vec<String> = which.iter().map(|&k| format!("{:>w$}", get(&total, k), w = width)).collect();
        io.print(&format!("{} total\n", nums.join(" ")));
    }
    status
}

pub fn uniq(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let p = match opts("uniq", argv, "cduif:s:w:D", &[("count", 'c'), ("repeated", 'd'), ("unique", 'u'), ("ignore-case", 'i'), ("skip-fields=", 'f'), ("skip-chars=", 's'), ("check-chars=", 'w'), ("all-repeated", 'D')], io, 1) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let num = |c: char| p.value(c).and_then(|v| v.parse::<usize>().ok());
    let (skip_f, skip_c, check) = (num('f').unwrap_or(0), num('s').unwrap_or(0), num('w'));
    let data = match input(sh, io, "uniq", p.operands.first().map(|s| s.as_str()).unwrap_or("-")) {
        Some(d) => d,
        None => return 1,
    };
    let key = |l: &[u8]| -> Vec<u8> {
        let mut i = 0;
        for _ in 0..skip_f {
            while i < l.len() && (l[i] == b' ' || l[i] == b'\t') {
                i += 1;
            }
            while i < l.len() && l[i] != b' ' && l[i] != b'\t' {
                i += 1;
            }
        }
        i = (i + skip_c).min(l.len());
        let mut k = l[i..].to_vec();
        if let Some(w) = check {
            k.truncate(w);
        }
        if p.has('i') {
            k.make_ascii_lowercase();
        }
        k
    };
    let ls = lines(&data);
    let mut out = Vec::new();
    let mut i = 0;
    while i < ls.len() {
        let k = key(ls[i]);
        let mut j = i + 1;
        while j < ls.len() && key(ls[j]) == k {
            j += 1;
        }
        let n = j - i;
        let show = (!p.has('d') && !p.has('u') && !p.has('D')) || (p.has('d') && n > 1) || (p.has('D') && n > 1) || (p.has('u') && n == 1);
        if show {
            let group: Vec<&[u8]> = if p.has('D') { ls[i..j].to_vec() } else { vec![ls[i]] };
            for l in group {
                if p.has('c') {
                    out.extend_from_slice(format!("{:7} ", n).as_bytes());
                }
                out.extend_from_slice(l);
                out.push(b'\n');
            }
        }
        i = j;
    }
    if let Some(target) = p.operands.get(1) {
        return match sh.fs.write(target, &out, false) {
            Ok(()) => 0,
            Err(e) => {
                io.error("uniq", &format!("{}: {}", target, e));
                1
            }
        };
    }
    io.write(&out);
    0
}

/// A cut LIST: 1-based inclusive ranges.
fn parse_list(s: &str) -> Result<Vec<(usize, usize)>, String> {
    let mut v = Vec::new();
    for part in s.split(|c| c == ',' || c == ' ') {
        if part.is_empty() {
            continue;
        }
        let (a, b) = match part.find('-') {
            Some(k) => (&part[..k], &part[k + 1..]),
            None => (part, part),
        };
        let lo = if a.is_empty() { 1 } else { a.parse::<usize>().map_err(|_| format!("invalid field value '{}'", part))? };
        let hi = if b.is_empty() { usize::MAX } else { b.parse::<usize>().map_err(|_| format!("invalid field value '{}'", part))? };
        if lo == 0 {
            return Err("fields and positions are numbered from 1".to_string());
        }
        if hi < lo {
            return Err("invalid decreasing range".to_string());
        }
        v.push((lo, hi));
    }
    if v.is_empty() {
        return Err("missing list of fields".to_string());
    }
    Ok(v)
}

pub fn cut(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let p = match opts("cut", argv, "b:c:f:d:sn", &[("bytes=", 'b'), ("characters=", 'c'), ("fields=", 'f'), ("delimiter=", 'd'), ("only-delimited", 's'), ("complement", 'C'), ("output-delimiter=", 'O')], io, 1) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let (mode, list) = match (p.value('f'), p.value('c').or_else(|| p.value('b'))) {
        (Some(f), _) => ('f', f.to_string()),
        (None, Some(c)) => ('c', c.to_string()),
        _ => {
            io.error("cut", "you must specify a list of bytes, characters, or fields");
            return 1;
        }
    };
    let ranges = match parse_list(&list) {
        Ok(r) => r,
        Err(e) => {
            io.error("cut", &e);
            return 1;
        }
    };
    let delim = p.value('d').unwrap_or("\t").to_string();
    if delim.len() != 1 {
        io.error("cut", "the delimiter must be a single character");
        return 1;
    }
    let d = delim.as_bytes()[0];
    let out_delim = p.value('O').map(|s| s.to_string()).unwrap_or_else(|| delim.clone());
    let complement = p.has('C');
    let sel = |i: usize| ranges.iter().any(|&(a, b)| i >= a && i <= b) != complement;
    let (data, ok) = all_inputs(sh, io, "cut", &p.operands);
    let mut out = Vec::new();
    for l in lines(&data) {
        if mode == 'f' {
            if !l.contains(&d) {
                if !p.has('s') {
                    out.extend_from_slice(l);
                    out.push(b'\n');
                }
                continue;
            }
            let mut first = true;
            for (i, field) in l.split(|&b| b == d).enumerate() {
                if sel(i + 1) {
                    if !first {
                        out.extend_from_slice(out_delim.as_bytes());
                    }
                    first = false;
                    out.extend_from_slice(field);
                }
            }
        } else {
            for (i, &b) in l.iter().enumerate() {
                if sel(i + 1) {
                    out.push(b);
                }
            }
        }
        out.push(b'\n');
    }
    io.write(&out);
    if ok { 0 } else { 1 }
}

/// Expands a tr SET: escapes, ranges, [:class:], [c*n].
fn tr_set(s: &str) -> Result<Vec<u8>, String> {
    let b = s.as_bytes();
    let mut raw: Vec<(u8, bool)> = Vec::new(); // (byte, escaped)
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'[' && i + 1 < b.len() && b[i + 1] == b':' {
            if let Some(end) = s[i + 2..].find(":]") {
                let class = &s[i + 2..i + 2 + end];
                let members: Vec<u8> = (0u8..=127).filter(|&c| crate::pattern::class_matches(class, c as char)).collect();
                if members.is_empty() && class != "cntrl" {
                    return Err(format!("invalid character class '{}'", class));
                }
                flush(&mut raw, &mut out);
                out.extend(members);
                i += 2 + end + 2;
                continue;
            }
        }
        if b[i] == b'[' && i + 2 < b.len() && b[i + 2] == b'*' {
            if let Some(end) = s[i + 3..].find(']') {
                let n: usize = s[i + 3..i + 3 + end].parse().unwrap_or(0);
                flush(&mut raw, &mut out);
                out.extend(std::iter::repeat(b[i + 1]).take(if n == 0 { 1 } else { n }));
                i += 3 + end + 1;
                continue;
            }
        }
        if b[i] == b'\\' && i + 1 < b.len() {
            let (c, used) = match b[i + 1] {
                b'n' => (b'\n', 2),
                b't' => (b'\t', 2),
                b'r' => (b'\r', 2),
                b'\\' => (b'\\', 2),
                b'a' => (7, 2),
                b'b' => (8, 2),
                b'f' => (12, 2),
                b'v' => (11, 2),
                b'0'..=b'7' => {
                    let mut v = 0u32;
                    let mut k = i + 1;
                    while k < b.len() && k < i + 4 && (b'0'..=b'7').contains(&b[k]) {
                        v = v * 8 + (b[k] - b'0') as u32;
                        k += 1;
                    }
                    (v as u8, k - i)
                }
                c => (c, 2),
            };
            raw.push((c, true));
            i += used;
            continue;
        }
        raw.push((b[i], false));
        i += 1;
    }
    flush(&mut raw, &mut out);
    Ok(out)
}

/// Resolves ranges (`a-z`) in the collected characters and appends them.
fn flush(raw: &mut Vec<(u8, bool)>, out: &mut Vec<u8>) {
    let mut i = 0;
    while i < raw.len() {
        if i + 2 < raw.len() && raw[i + 1] == (b'-', false) && raw[i].0 <= raw[i + 2].0 {
            out.extend(raw[i].0..=raw[i + 2].0);
            i += 3;
        } else {
            out.push(raw[i].0);
            i += 1;
        }
    }
    raw.clear();
}

pub fn tr(_sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let p = match opts("tr", argv, "cCdst", &[("complement", 'c'), ("delete", 'd'), ("squeeze-repeats", 's'), ("truncate-set1", 't')], io, 1) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let complement = p.has('c') || p.has('C');
    let delete = p.has('d');
    let squeeze = p.has('s');
    let need = if delete && squeeze { 2 } else if delete || (squeeze && p.operands.len() == 1) { 1 } else { 2 };
    if p.operands.len() < need {
        io.error("tr", if p.operands.is_empty() { "missing operand" } else { "missing operand after the first set" });
        return 1;
    }
    if p.operands.len() > need {
        io.error("tr", &format!("extra operand '{}'", p.operands[need]));
        return 1;
    }
    let set1 = match tr_set(&p.operands[0]) {
        Ok(s) => s,
        Err(e) => {
            io.error("tr", &e);
            return 1;
        }
    };
    let set2 = match p.operands.get(1).map(|s| tr_set(s)) {
        Some(Ok(s)) => Some(s),
        Some(Err(e)) => {
            io.error("tr", &e);
            return 1;
        }
        None => None,
    };
    let mut in1 = [false; 256];
    for &c in &set1 {
        in1[c as usize] = true;
    }
    if complement {
        for v in in1.iter_mut() {
            *v = !*v;
        }
    }
    let mut map: [u16; 256] = [0; 256];
    for (i, m) in map.iter_mut().enumerate() {
        *m = i as u16;
    }
    let translating = !delete && set2.is_some();
    if translating {
        let s2 = set2.clone().unwrap_or_default();
        if s2.is_empty() {
            io.error("tr", "when not truncating set1, string2 must be non-empty");
            return 1;
        }
        if complement {
            let last = *s2.last().unwrap_or(&0);
            let mut k = 0;
            for c in 0..256usize {
                if in1[c] {
                    map[c] = *s2.get(k).unwrap_or(&last) as u16;
                    k += 1;
                }
            }
        } else {
            let last = *s2.last().unwrap_or(&0);
            for (k, &c) in set1.iter().enumerate() {
                if p.has('t') && k >= s2.len() {
                    break;
                }
                map[c as usize] = *s2.get(k).unwrap_or(&last) as u16;
            }
        }
    }
    let squeeze_set: [bool; 256] = {
        let mut s = [false; 256];
        let src = if delete || translating { set2.clone().unwrap_or_default() } else { Vec::new() };
        if squeeze {
            if delete || translating {
                for c in src {
                    s[c as usize] = true;
                }
            } else {
                s = in1;
            }
        }
        s
    };
    let data = io.read_all();
    let mut out = Vec::with_capacity(data.len());
    let mut last: Option<u8> = None;
    for &b in &data {
        if delete && in1[b as usize] {
            continue;
        }
        let c = if translating && in1[b as usize] { map[b as usize] as u8 } else { b };
        if squeeze && squeeze_set[c as usize] && last == Some(c) {
            continue;
        }
        out.push(c);
        last = Some(c);
    }
    io.write(&out);
    0
}

pub fn tac(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let p = match opts("tac", argv, "", &[], io, 1) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let mut status = 0;
    for f in files_or_stdin(&p.operands) {
        match input(sh, io, "tac", &f) {
            Some(d) => {
                let mut out = Vec::new();
                for l in lines(&d).into_iter().rev() {
                    out.extend_from_slice(l);
                    out.push(b'\n');
                }
                io.write(&out);
            }
            None => status = 1,
        }
    }
    status
}

pub fn rev(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let (data, ok) = all_inputs(sh, io, "rev", &argv[1..]);
    let text = String::from_utf8_lossy(&data);
    let mut out = String::new();
    for l in text.split_inclusive('\n') {
        let (body, nl) = match l.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (l, ""),
        };
        out.extend(body.chars().rev());
        out.push_str(nl);
    }
    io.print(&out);
    if ok { 0 } else { 1 }
}

pub fn nl(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let p = match opts("nl", argv, "b:n:w:s:v:i:", &[("body-numbering=", 'b'), ("number-format=", 'n'), ("number-width=", 'w'), ("number-separator=", 's'), ("starting-line-number=", 'v'), ("line-increment=", 'i')], io, 1) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let style = p.value('b').unwrap_or("t").to_string();
    let format = p.value('n').unwrap_or("rn").to_string();
    let width: usize = p.value('w').and_then(|v| v.parse().ok()).unwrap_or(6);
    let sep = p.value('s').unwrap_or("\t").to_string();
    let mut n: i64 = p.value('v').and_then(|v| v.parse().ok()).unwrap_or(1);
    let inc: i64 = p.value('i').and_then(|v| v.parse().ok()).unwrap_or(1);
    let (data, ok) = all_inputs(sh, io, "nl", &p.operands);
    let mut out = String::new();
    for l in lines(&data) {
        let l = String::from_utf8_lossy(l);
        let numbered = match style.as_str() {
            "a" => true,
            "n" => false,
            _ => !l.is_empty(),
        };
        if numbered {
            let num = match format.as_str() {
                "ln" => format!("{:<w$}", n, w = width),
                "rz" => format!("{:0>w$}", n, w = width),
                _ => format!("{:>w$}", n, w = width),
            };
            out.push_str(&format!("{}{}{}\n", num, sep, l));
            n += inc;
        } else {
            out.push_str(&format!("{}{}\n", " ".repeat(width + sep.len()), l));
        }
    }
    io.print(&out);
    if ok { 0 } else { 1 }
}

pub fn paste(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let p = match opts("paste", argv, "d:s", &[("delimiters=", 'd'), ("serial", 's')], io, 1) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let delims: Vec<char> = {
        let d = p.value('d').unwrap_or("\t").replace("\\n", "\n").replace("\\t", "\t");
        let v: Vec<char> = d.chars().collect();
        if v.is_empty() { vec!['\0'] } else { v }
    };
    let files = files_or_stdin(&p.operands);
    let mut contents: Vec<Vec<String>> = Vec::new();
    let mut status = 0;
    let mut stdin_lines: Option<Vec<String>> = None;
    let mut stdin_users = 0;
    for f in &files {
        if f == "-" {
            stdin_users += 1;
        }
    }
    let mut stdin_pos = 0;
    let mut per_file: Vec<Option<Vec<String>>> = Vec::new();
    for f in &files {
        if f == "-" {
            if stdin_lines.is_none() {
                let d = io.read_all();
                stdin_lines = Some(lines(&d).iter().map(|l| String::from_utf8_lossy(l).to_string()).collect());
            }
            per_file.push(None);
        } else {
            match input(sh, io, "paste", f) {
                Some(d) => per_file.push(Some(lines(&d).iter().map(|l| String::from_utf8_lossy(l).to_string()).collect())),
                None => {
                    status = 1;
                    per_file.push(Some(Vec::new()));
                }
            }
        }
    }
    let sl = stdin_lines.unwrap_or_default();
    if p.has('s') {
        for pf in per_file {
            let v = pf.unwrap_or_else(|| sl.clone());
            let mut line = String::new();
            for (k, x) in v.iter().enumerate() {
                if k > 0 {
                    let d = delims[(k - 1) % delims.len()];
                    if d != '\0' {
                        line.push(d);
                    }
                }
                line.push_str(x);
            }
            io.print(&format!("{}\n", line));
        }
        return status;
    }
    // stdin named several times hands out its lines in turn
    for pf in per_file.iter() {
        match pf {
            Some(v) => contents.push(v.clone()),
            None => {
                let mut v = Vec::new();
                let mut k = stdin_pos;
                while k < sl.len() {
                    v.push(sl[k].clone());
                    k += stdin_users;
                }
                stdin_pos += 1;
                contents.push(v);
            }
        }
    }
    let rows = contents.iter().map(|c| c.len()).max().unwrap_or(0);
    let mut out = String::new();
    for r in 0..rows {
        for (k, c) in contents.iter().enumerate() {
            if k > 0 {
                let d = delims[(k - 1) % delims.len()];
                if d != '\0' {
                    out.push(d);
                }
            }
            if let Some(x) = c.get(r) {
                out.push_str(x);
            }
        }
        out.push('\n');
    }
    io.print(&out);
    status
}
