//! sort, GNU's semantics in the C locale: keys (-k F[.C][opts],F[.C]), -t, -n -h -g -V -f -b -r,
//! -u (unique by key), -s (no last-resort comparison), -o FILE, -c.

use super::{all_inputs, lines, opts};
use crate::io::Io;
use crate::shell::Shell;
use std::cmp::Ordering;

#[derive(Clone, Copy, Default)]
struct Flags {
    numeric: bool,
    human: bool,
    general: bool,
    version: bool,
    fold: bool,
    blanks: bool,
    reverse: bool,
    dict: bool,
}

impl Flags {
    fn any(&self) -> bool {
        self.numeric || self.human || self.general || self.version || self.fold || self.blanks || self.reverse || self.dict
    }

    fn set(&mut self, c: char) -> bool {
        match c {
            'n' => self.numeric = true,
            'h' => self.human = true,
            'g' => self.general = true,
            'V' => self.version = true,
            'f' => self.fold = true,
            'b' => self.blanks = true,
            'r' => self.reverse = true,
            'd' => self.dict = true,
            _ => return false,
        }
        true
    }
}

struct Key {
    sf: usize,
    sc: usize,
    ef: usize, // 0: end of line
    ec: usize, // 0: end of field
    flags: Flags,
    start_blanks: bool,
    end_blanks: bool,
}

fn parse_key(spec: &str, global: Flags) -> Result<Key, String> {
    let bad = || format!("invalid key specification '{}'", spec);
    let (start, end) = match spec.find(',') {
        Some(k) => (&spec[..k], Some(&spec[k + 1..])),
        None => (spec, None),
    };
    let mut flags = Flags::default();
    let mut start_blanks = false;
    let mut end_blanks = false;
    let mut pos = |s: &str, is_start: bool, flags: &mut Flags| -> Result<(usize, usize), String> {
        let num_end = s.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(s.len());
        let (num, opts) = (&s[..num_end], &s[num_end..]);
        for c in opts.chars() {
            if !flags.set(c) {
                return Err(bad());
            }
            if c == 'b' {
                if is_start {
                    start_blanks = true;
                } else {
                    end_blanks = true;
                }
            }
        }
        let (f, c) = match num.find('.') {
            Some(k) => (&num[..k], &num[k + 1..]),
            None => (num, ""),
        };
        let f: usize = f.parse().map_err(|_| bad())?;
        let c: usize = if c.is_empty() { 0 } else { c.parse().map_err(|_| bad())? };
        Ok((f, c))
    };
    let (sf, sc) = pos(start, true, &mut flags)?;
    if sf == 0 {
        return Err(format!("{}: field number is zero", spec));
    }
    let (ef, ec) = match end {
        Some(e) => pos(e, false, &mut flags)?,
        None => (0, 0),
    };
    if !flags.any() {
        flags = global;
        start_blanks = global.blanks;
        end_blanks = global.blanks;
    }
    Ok(Key { sf, sc: sc.max(1), ef, ec, flags, start_blanks, end_blanks })
}

fn blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn field_start(l: &[u8], f: usize, tab: Option<u8>) -> usize {
    let mut p = 0;
    for _ in 1..f {
        match tab {
            Some(t) => match l[p..].iter().position(|&b| b == t) {
                Some(k) => p += k + 1,
                None => return l.len(),
            },
            None => {
                while p < l.len() && blank(l[p]) {
                    p += 1;
                }
                while p < l.len() && !blank(l[p]) {
                    p += 1;
                }
            }
        }
    }
    p
}

fn field_end(l: &[u8], f: usize, tab: Option<u8>) -> usize {
    let mut p = field_start(l, f, tab);
    match tab {
        Some(t) => p + l[p..].iter().position(|&b| b == t).unwrap_or(l.len() - p),
        None => {
            while p < l.len() && blank(l[p]) {
                p += 1;
            }
            while p < l.len() && !blank(l[p]) {
                p += 1;
            }
            p
        }
    }
}

fn extract<'a>(l: &'a [u8], k: &Key, tab: Option<u8>) -> &'a [u8] {
    let mut s = field_start(l, k.sf, tab);
    if k.start_blanks {
        while s < l.len() && blank(l[s]) {
            s += 1;
        }
    }
    s = (s + k.sc - 1).min(l.len());
    let e = if k.ef == 0 {
        l.len()
    } else if k.ec == 0 {
        field_end(l, k.ef, tab)
    } else {
        let mut p = field_start(l, k.ef, tab);
        if k.end_blanks {
            while p < l.len() && blank(l[p]) {
                p += 1;
            }
        }
        (p + k.ec).min(l.len())
    };
    if e <= s {
        &l[s..s]
    } else {
        &l[s..e]
    }
}

/// The leading number of a key (GNU -n: blanks, sign, digits, one decimal point; else 0).
fn num_prefix(k: &[u8]) -> f64 {
    let s = String::from_utf8_lossy(k);
    let s = s.trim_start();
    let mut end = 0;
    let b = s.as_bytes();
    if end < b.len() && b[end] == b'-' {
        end += 1;
    }
    let mut dot = false;
    while end < b.len() && (b[end].is_ascii_digit() || (b[end] == b'.' && !dot)) {
        if b[end] == b'.' {
            dot = true;
        }
        end += 1;
    }
    s[..end].parse::<f64>().unwrap_or(0.0)
}

fn human(k: &[u8]) -> (i32, f64) {
    let n = num_prefix(k);
    let s = String::from_utf8_lossy(k);
    let t = s.trim_start();
    let after = t.trim_start_matches(|c: char| c == '-' || c.is_ascii_digit() || c == '.');
    let mag = match after.chars().next() {
        Some('K') | Some('k') => 1,
        Some('M') => 2,
        Some('G') => 3,
        Some('T') => 4,
        Some('P') => 5,
        Some('E') => 6,
        _ => 0,
    };
    let sign = if n < 0.0 { -1 } else if n > 0.0 { 1 } else { 0 };
    (sign * (mag + 1), n)
}

pub fn version_cmp(a: &[u8], b: &[u8]) -> Ordering {
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let (si, sj) = (i, j);
        while i < a.len() && !a[i].is_ascii_digit() {
            i += 1;
        }
        while j < b.len() && !b[j].is_ascii_digit() {
            j += 1;
        }
        let o = a[si..i].cmp(&b[sj..j]);
        if o != Ordering::Equal {
            return o;
        }
        let (si, sj) = (i, j);
        while i < a.len() && a[i].is_ascii_digit() {
            i += 1;
        }
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        let na = std::str::from_utf8(&a[si..i]).ok().and_then(|s| s.parse::<u128>().ok()).unwrap_or(0);
        let nb = std::str::from_utf8(&b[sj..j]).ok().and_then(|s| s.parse::<u128>().ok()).unwrap_or(0);
        let o = na.cmp(&nb);
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

fn compare_key(a: &[u8], b: &[u8], f: &Flags) -> Ordering {
    let o = if f.numeric {
        num_prefix(a).partial_cmp(&num_prefix(b)).unwrap_or(Ordering::Equal)
    } else if f.human {
        let (ma, na) = human(a);
        let (mb, nb) = human(b);
        ma.cmp(&mb).then(na.partial_cmp(&nb).unwrap_or(Ordering::Equal))
    } else if f.general {
        let g = |k: &[u8]| String::from_utf8_lossy(k).trim().parse::<f64>().unwrap_or(f64::NEG_INFINITY);
        g(a).partial_cmp(&g(b)).unwrap_or(Ordering::Equal)
    } else if f.version {
        version_cmp(a, b)
    } else {
        let norm = |k: &[u8]| -> Vec<u8> {
            let mut v: Vec<u8> = if f.blanks { k.iter().cloned().skip_while(|&c| blank(c)).collect() } else { k.to_vec() };
            if f.dict {
                v.retain(|c| c.is_ascii_alphanumeric() || blank(*c));
            }
            if f.fold {
                v.make_ascii_uppercase();
            }
            v
        };
        if f.fold || f.dict || f.blanks {
            norm(a).cmp(&norm(b))
        } else {
            a.cmp(b)
        }
    };
    if f.reverse {
        o.reverse()
    } else {
        o
    }
}

pub fn sort(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let p = match opts(
        "sort",
        argv,
        "nrufbhgVdsk:t:o:cCzmS:T:",
        &[("numeric-sort", 'n'), ("reverse", 'r'), ("unique", 'u'), ("ignore-case", 'f'), ("ignore-leading-blanks", 'b'),
          ("human-numeric-sort", 'h'), ("general-numeric-sort", 'g'), ("version-sort", 'V'), ("dictionary-order", 'd'),
          ("stable", 's'), ("key=", 'k'), ("field-separator=", 't'), ("output=", 'o'), ("check", 'c'), ("merge", 'm'),
          ("buffer-size=", 'S'), ("temporary-directory=", 'T'), ("parallel=", 'P'), ("zero-terminated", 'z')],
        io,
        2,
    ) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let mut global = Flags::default();
    for (c, _) in &p.opts {
        global.set(*c);
    }
    let tab = match p.value('t') {
        Some(t) if t.len() == 1 => Some(t.as_bytes()[0]),
        Some("\\t") => Some(b'\t'),
        Some("\\0") => Some(0),
        Some(t) => {
            io.error("sort", &format!("multi-character tab '{}'", t));
            return 2;
        }
        None => None,
    };
    let mut keys = Vec::new();
    for spec in p.values('k') {
        match parse_key(&spec, global) {
            Ok(k) => keys.push(k),
            Err(e) => {
                io.error("sort", &e);
                return 2;
            }
        }
    }
    let (data, ok) = all_inputs(sh, io, "sort", &p.operands);
    if !ok {
        return 2;
    }
    let ls: Vec<&[u8]> = lines(&data);
    let cmp_keys = |a: &[u8], b: &[u8]| -> Ordering {
        if keys.is_empty() {
            return compare_key(a, b, &global);
        }
        for k in &keys {
            let o = compare_key(extract(a, k, tab), extract(b, k, tab), &k.flags);
            if o != Ordering::Equal {
                return o;
            }
        }
        Ordering::Equal
    };
    let keyed = !keys.is_empty() || global.any();
    let last_resort = !p.has('s') && !p.has('u') && keyed;
    let full = |a: &[u8], b: &[u8]| -> Ordering {
        let o = cmp_keys(a, b);
        if o != Ordering::Equal || !last_resort {
            return o;
        }
        if global.reverse {
            b.cmp(a)
        } else {
            a.cmp(b)
        }
    };
    if p.has('c') || p.has('C') {
        for w in ls.windows(2) {
            let o = full(w[0], w[1]);
            if o == Ordering::Greater || (p.has('u') && o == Ordering::Equal) {
                if p.has('c') {
                    let name = if p.operands.len() == 1 { p.operands[0].as_str() } else { "-" };
                    let at = ls.iter().position(|l| std::ptr::eq(*l, w[1])).unwrap_or(0) + 1;
                    io.error("sort", &format!("{}:{}: disorder: {}", name, at, String::from_utf8_lossy(w[1])));
                }
                return 1;
            }
        }
        return 0;
    }
    let mut sorted = ls.clone();
    sorted.sort_by(|a, b| full(a, b));
    if p.has('u') {
        sorted.dedup_by(|b, a| cmp_keys(a, b) == Ordering::Equal);
    }
    let mut out = Vec::with_capacity(data.len() + 1);
    for l in sorted {
        out.extend_from_slice(l);
        out.push(b'\n');
    }
    if let Some(target) = p.value('o') {
        return match sh.fs.write(target, &out, false) {
            Ok(()) => 0,
            Err(e) => {
                io.error("sort", &format!("cannot create '{}': {}", target, e));
                2
            }
        };
    }
    io.write(&out);
    0
}
