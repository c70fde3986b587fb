//! echo printf test/[ seq sha256sum base64 date env printenv true false xargs sleep expr.

use super::{all_inputs, input, lines, opts};
use crate::io::Io;
use crate::shell::Shell;

pub fn true_(_sh: &mut Shell, _argv: &[String], _io: &Io) -> i32 {
    0
}

pub fn false_(_sh: &mut Shell, _argv: &[String], _io: &Io) -> i32 {
    1
}

/// Backslash escapes of `echo -e`, `printf`'s format and `%b`. Returns the text and whether `\c`
/// asked to stop all output.
fn escapes(s: &str, printf_octal: bool) -> (Vec<u8>, bool) {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' || i + 1 >= b.len() {
            out.push(b[i]);
            i += 1;
            continue;
        }
        i += 1;
        match b[i] {
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'r' => out.push(b'\r'),
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'v' => out.push(11),
            b'e' | b'E' => out.push(27),
            b'\\' => out.push(b'\\'),
            b'"' if printf_octal => out.push(b'"'),
            b'c' => return (out, true),
            b'x' => {
                let mut v = 0u32;
                let mut k = 0;
                while k < 2 && i + 1 < b.len() && (b[i + 1] as char).is_ascii_hexdigit() {
                    i += 1;
                    v = v * 16 + (b[i] as char).to_digit(16).unwrap_or(0);
                    k += 1;
                }
                if k == 0 {
                    out.extend_from_slice(b"\\x");
                } else {
                    out.push(v as u8);
                }
            }
            b'0'..=b'7' => {
                // echo: \0NNN; printf: \NNN
                let mut v = 0u32;
                let mut k = 0;
                let max = if !printf_octal && b[i] == b'0' { 4 } else { 3 };
                i -= 1;
                while k < max && i + 1 < b.len() && (b'0'..=b'7').contains(&b[i + 1]) {
                    i += 1;
                    v = v * 8 + (b[i] - b'0') as u32;
                    k += 1;
                }
                out.push(v as u8);
            }
            c => {
                out.push(b'\\');
                out.push(c);
            }
        }
        i += 1;
    }
    (out, false)
}

pub fn echo(_sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let mut newline = true;
    let mut interpret = false;
    let mut i = 1;
    while i < argv.len() {
        let a = &argv[i];
        if a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| matches!(c, 'n' | 'e' | 'E')) {
            for c in a[1..].chars() {
                match c {
                    'n' => newline = false,
                    'e' => interpret = true,
                    _ => interpret = false,
                }
            }
            i += 1;
        } else {
            break;
        }
    }
    let text = argv[i..].join(" ");
    let mut out = if interpret {
        let (b, stop) = escapes(&text, false);
        if stop {
            io.write(&b);
            return 0;
        }
        b
    } else {
        text.into_bytes()
    };
    if newline {
        out.push(b'\n');
    }
    io.write(&out);
    0
}

fn num_arg(a: &str, io: &Io, bad: &mut bool) -> f64 {
    let t = a.trim();
    if let Some(c) = t.strip_prefix('\'').or_else(|| t.strip_prefix('"')) {
        return c.chars().next().map(|c| c as u32 as f64).unwrap_or(0.0);
    }
    if t.is_empty() {
        return 0.0;
    }
    let parsed = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok().map(|v| v as f64)
    } else {
        t.parse::<f64>().ok()
    };
    match parsed {
        Some(v) => v,
        None => {
            io.error("printf", &format!("'{}': expected a numeric value", a));
            *bad = true;
            0.0
        }
    }
}

pub fn printf_format(fmt: &str, args: &[String], io: &Io) -> (Vec<u8>, bool) {
    let mut out = Vec::new();
    let mut bad = false;
    let mut ai = 0;
    let f: Vec<char> = fmt.chars().collect();
    loop {
        let mut i = 0;
        let mut consumed = false;
        while i < f.len() {
            let c = f[i];
            if c == '\\' {
                let mut j = i + 1;
                // take one escape sequence
                if j < f.len() {
                    if f[j] == 'x' {
                        j += 1;
                        while j < f.len() && j < i + 4 && f[j].is_ascii_hexdigit() {
                            j += 1;
                        }
                    } else if ('0'..='7').contains(&f[j]) {
                        while j < f.len() && j < i + 4 && ('0'..='7').contains(&f[j]) {
                            j += 1;
                        }
                    } else {
                        j += 1;
                    }
                }
                let seq: String = f[i..j].iter().collect();
                let (b, stop) = escapes(&seq, true);
                out.extend(b);
                if stop {
                    return (out, bad);
                }
                i = j;
                continue;
            }
            if c != '%' {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                i += 1;
                continue;
            }
            if i + 1 < f.len() && f[i + 1] == '%' {
                out.push(b'%');
                i += 2;
                continue;
            }
            // %[flags][width][.precision]conv
            let mut j = i + 1;
            let mut flags = String::new();
            while j < f.len() && "-+ #0".contains(f[j]) {
                flags.push(f[j]);
                j += 1;
            }
            let mut width = String::new();
            if j < f.len() && f[j] == '*' {
                width = args.get(ai).cloned().unwrap_or_default();
                ai += 1;
                j += 1;
            }
            while j < f.len() && f[j].is_ascii_digit() {
                width.push(f[j]);
                j += 1;
            }
            let mut prec: Option<String> = None;
            if j < f.len() && f[j] == '.' {
                j += 1;
                let mut p = String::new();
                if j < f.len() && f[j] == '*' {
                    p = args.get(ai).cloned().unwrap_or_default();
                    ai += 1;
                    j += 1;
                }
                while j < f.len() && f[j].is_ascii_digit() {
                    p.push(f[j]);
                    j += 1;
                }
                prec = Some(p);
            }
            while j < f.len() && "hlLqjzt".contains(f[j]) {
                j += 1;
            }
            if j >= f.len() {
                io.error("printf", &format!("{}: invalid conversion specification", f[i..].iter().collect::<String>()));
                return (out, true);
            }
            let conv = f[j];
            i = j + 1;
            let arg = args.get(ai).cloned();
            if arg.is_some() {
                consumed = true;
            }
            ai += 1;
            let arg = arg.unwrap_or_default();
            let w: usize = width.trim_start_matches('-').parse().unwrap_or(0);
            let left = flags.contains('-') || width.starts_with('-');
            let zero = flags.contains('0') && !left;
            let p: Option<usize> = prec.as_ref().map(|p| p.parse().unwrap_or(0));
            let body: String = match conv {
                's' => {
                    let mut s = arg.clone();
                    if let Some(p) = p {
                        s = s.chars().take(p).collect();
                    }
                    s
                }
                'b' => {
                    let (b, stop) = escapes(&arg, false);
                    if stop {
                        out.extend(b);
                        return (out, bad);
                    }
                    String::from_utf8_lossy(&b).to_string()
                }
                'c' => arg.chars().next().map(|c| c.to_string()).unwrap_or_default(),
                'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
                    let v = num_arg(&arg, io, &mut bad) as i64;
                    let mut digits = match conv {
                        'x' => format!("{:x}", v),
                        'X' => format!("{:X}", v),
                        'o' => format!("{:o}", v),
                        _ => v.abs().to_string(),
                    };
                    if let Some(p) = p {
                        while digits.len() < p {
                            digits.insert(0, '0');
                        }
                    }
                    if flags.contains('#') && conv == 'x' && v != 0 {
                        digits.insert_str(0, "0x");
                    }
                    let sign = if matches!(conv, 'd' | 'i' | 'u') && v < 0 {
                        "-"
                    } else if flags.contains('+') && matches!(conv, 'd' | 'i') {
                        "+"
                    } else if flags.contains(' ') && matches!(conv, 'd' | 'i') {
                        " "
                    } else {
                        ""
                    };
                    if zero && p.is_none() && digits.len() + sign.len() < w {
                        format!("{}{}{}", sign, "0".repeat(w - digits.len() - sign.len()), digits)
                    } else {
                        format!("{}{}", sign, digits)
                    }
                }
                'f' | 'F' | 'e' | 'E' | 'g' | 'G' => {
                    let v = num_arg(&arg, io, &mut bad);
                    let p = p.unwrap_or(6);
                    let s = match conv {
                        'f' | 'F' => format!("{:.*}", p, v),
                        'e' | 'E' => c_exp(v, p, conv == 'E'),
                        _ => c_general(v, if p == 0 { 1 } else { p }, flags.contains('#')),
                    };
                    let s = if flags.contains('+') && v >= 0.0 { format!("+{}", s) } else { s };
                    if zero && s.len() < w {
                        let (sign, rest) = if s.starts_with('-') || s.starts_with('+') { s.split_at(1) } else { ("", s.as_str()) };
                        format!("{}{}{}", sign, "0".repeat(w - s.len()), rest)
                    } else {
                        s
                    }
                }
                other => {
                    io.error("printf", &format!("%{}: invalid conversion specification", other));
                    return (out, true);
                }
            };
            let len = body.chars().count();
            let padded = if len >= w {
                body
            } else if left {
                format!("{}{}", body, " ".repeat(w - len))
            } else {
                format!("{}{}", " ".repeat(w - len), body)
            };
            out.extend_from_slice(padded.as_bytes());
        }
        if ai >= args.len() || !consumed {
            break;
        }
    }
    (out, bad)
}

fn c_exp(v: f64, p: usize, upper: bool) -> String {
    let s = format!("{:.*e}", p, v);
    // Rust: 1.5e2; C: 1.500000e+02
    let (mant, exp) = match s.find('e') {
        Some(k) => (&s[..k], &s[k + 1..]),
        None => (s.as_str(), "0"),
    };
    let e: i32 = exp.parse().unwrap_or(0);
    let r = format!("{}e{}{:02}", mant, if e < 0 { '-' } else { '+' }, e.abs());
    if upper { r.to_uppercase() } else { r }
}

fn c_general(v: f64, p: usize, alt: bool) -> String {
    if v == 0.0 {
        return "0".to_string();
    }
    let e = v.abs().log10().floor() as i32;
    let s = if e < -4 || e >= p as i32 {
        c_exp(v, p - 1, false)
    } else {
        format!("{:.*}", (p as i32 - 1 - e).max(0) as usize, v)
    };
    if alt {
        return s;
    }
    // drop trailing zeros of the fraction
    if let Some(k) = s.find('e') {
        let (m, ex) = s.split_at(k);
        let m = if m.contains('.') { m.trim_end_matches('0').trim_end_matches('.') } else { m };
        format!("{}{}", m, ex)
    } else if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

pub fn printf(_sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let mut args = &argv[1..];
    if args.first().map(|a| a.as_str()) == Some("--") {
        args = &args[1..];
    }
    let fmt = match args.first() {
        Some(f) => f.clone(),
        None => {
            io.error("printf", "missing operand");
            return 1;
        }
    };
    let (out, bad) = printf_format(&fmt, &args[1..], io);
    io.write(&out);
    if bad { 1 } else { 0 }
}

// ------------------------------------------------------------------------------------- test

struct Test<'a> {
    a: &'a [String],
    i: usize,
    sh: &'a Shell,
}

impl<'a> Test<'a> {
    fn peek(&self) -> Option<&str> {
        self.a.get(self.i).map(|s| s.as_str())
    }

    fn or(&mut self) -> Result<bool, String> {
        let mut v = self.and()?;
        while self.peek() == Some("-o") {
            self.i += 1;
            let r = self.and()?;
            v = v || r;
        }
        Ok(v)
    }

    fn and(&mut self) -> Result<bool, String> {
        let mut v = self.not()?;
        while self.peek() == Some("-a") {
            self.i += 1;
            let r = self.not()?;
            v = v && r;
        }
        Ok(v)
    }

    fn not(&mut self) -> Result<bool, String> {
        if self.peek() == Some("!") && self.a.len() - self.i > 1 {
            self.i += 1;
            return Ok(!self.not()?);
        }
        self.primary()
    }

    fn int(s: &str) -> Result<i64, String> {
        s.trim().parse::<i64>().map_err(|_| format!("{}: integer expression expected", s))
    }

    fn primary(&mut self) -> Result<bool, String> {
        let a = match self.peek() {
            Some(a) => a.to_string(),
            None => return Err("argument expected".to_string()),
        };
        if a == "(" && self.a.len() - self.i > 2 {
            self.i += 1;
            let v = self.or()?;
            if self.peek() != Some(")") {
                return Err("')' expected".to_string());
            }
            self.i += 1;
            return Ok(v);
        }
        // binary?
        if let Some(op) = self.a.get(self.i + 1).map(|s| s.as_str()) {
            if self.i + 2 < self.a.len() || matches!(op, "=" | "==" | "!=") {
                let known = matches!(op, "=" | "==" | "!=" | "<" | ">" | "-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge" | "-nt" | "-ot" | "-ef");
                if known {
                    let b = self.a.get(self.i + 2).cloned().ok_or("argument expected")?;
                    self.i += 3;
                    return Ok(match op {
                        "=" | "==" => a == b,
                        "!=" => a != b,
                        "<" => a < b,
                        ">" => a > b,
                        "-eq" => Self::int(&a)? == Self::int(&b)?,
                        "-ne" => Self::int(&a)? != Self::int(&b)?,
                        "-lt" => Self::int(&a)? < Self::int(&b)?,
                        "-le" => Self::int(&a)? <= Self::int(&b)?,
                        "-gt" => Self::int(&a)? > Self::int(&b)?,
                        "-ge" => Self::int(&a)? >= Self::int(&b)?,
                        "-nt" | "-ot" => {
                            let ma = self.sh.fs.meta(&a).ok().and_then(|m| m.modified);
                            let mb = self.sh.fs.meta(&b).ok().and_then(|m| m.modified);
                            match (ma, mb) {
                                (Some(x), Some(y)) => if op == "-nt" { x > y } else { x < y },
                                (Some(_), None) => op == "-nt",
                                (None, Some(_)) => op == "-ot",
                                _ => false,
                            }
                        }
                        _ => self.sh.fs.abs(&a) == self.sh.fs.abs(&b),
                    });
                }
            }
        }
        if a.len() == 2 && a.starts_with('-') && self.i + 1 < self.a.len() {
            let arg = self.a[self.i + 1].clone();
            let fs = &self.sh.fs;
            let r = match &a[1..] {
                "e" | "a" => Some(fs.exists(&arg)),
                "f" => Some(fs.meta(&arg).map(|m| m.is_file).unwrap_or(false)),
                "d" => Some(fs.is_dir(&arg)),
                "s" => Some(fs.meta(&arg).map(|m| m.len > 0).unwrap_or(false)),
                "r" => Some(fs.exists(&arg)),
                "w" => Some(fs.exists(&arg) && !fs.read_only),
                "x" => Some(fs.is_dir(&arg)),
                "L" | "h" => Some(fs.meta(&arg).map(|m| m.is_symlink).unwrap_or(false)),
                "p" | "S" | "b" | "c" | "t" => Some(false),
                "z" => Some(arg.is_empty()),
                "n" => Some(!arg.is_empty()),
                _ => None,
            };
            if let Some(r) = r {
                self.i += 2;
                return Ok(r);
            }
        }
        self.i += 1;
        Ok(!a.is_empty())
    }
}

fn run_test(sh: &Shell, args: &[String], name: &str, io: &Io) -> i32 {
    if args.is_empty() {
        return 1;
    }
    let mut t = Test { a: args, i: 0, sh };
    match t.or() {
        Ok(v) => {
            if t.i < args.len() {
                io.error(name, &format!("{}: unexpected operator", args[t.i]));
                return 2;
            }
            if v { 0 } else { 1 }
        }
        Err(e) => {
            io.error(name, &e);
            2
        }
    }
}

pub fn test(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    run_test(sh, &argv[1..], "test", io)
}

pub fn test_bracket(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    if argv.last().map(|s| s.as_str()) != Some("]") {
        io.error("[", "missing `]'");
        return 2;
    }
    run_test(sh, &argv[1..argv.len() - 1], "[", io)
}

// -------------------------------------------------------------------------------------- seq

pub fn seq(_sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let mut sep = "\n".to_string();
    let mut equal = false;
    let mut format: Option<String> = None;
    let mut nums: Vec<String> = Vec::new();
    let mut i = 1;
    while i < argv.len() {
        let a = &argv[i];
        let numeric = a.parse::<f64>().is_ok();
        if numeric || !a.starts_with('-') {
            nums.push(a.clone());
        } else if a == "-s" || a == "-f" {
            i += 1;
            let v = match argv.get(i) {
                Some(v) => v.clone(),
                None => {
                    io.error("seq", &format!("option requires an argument -- '{}'", &a[1..]));
                    return 1;
                }
            };
            if a == "-s" { sep = v } else { format = Some(v) }
        } else if let Some(v) = a.strip_prefix("-s") {
            sep = v.to_string();
        } else if let Some(v) = a.strip_prefix("--separator=") {
            sep = v.to_string();
        } else if a == "-w" || a == "--equal-width" {
            equal = true;
        } else if let Some(v) = a.strip_prefix("-f") {
            format = Some(v.to_string());
        } else {
            io.error("seq", &format!("invalid option -- '{}'", a.trim_start_matches('-')));
            return 1;
        }
        i += 1;
    }
    let vals: Vec<f64> = match nums.iter().map(|n| n.parse::<f64>()).collect::<Result<Vec<_>, _>>() {
        Ok(v) => v,
        Err(_) => {
            let bad = nums.iter().find(|n| n.parse::<f64>().is_err()).cloned().unwrap_or_default();
            io.error("seq", &format!("invalid floating point argument: '{}'", bad));
            return 1;
        }
    };
    let (first, inc, last) = match vals.len() {
        1 => (1.0, 1.0, vals[0]),
        2 => (vals[0], 1.0, vals[1]),
        3 => (vals[0], vals[1], vals[2]),
        0 => {
            io.error("seq", "missing operand");
            return 1;
        }
        _ => {
            io.error("seq", &format!("extra operand '{}'", nums[3]));
            return 1;
        }
    };
    if inc == 0.0 {
        io.error("seq", &format!("invalid Zero increment value: '{}'", nums[1]));
        return 1;
    }
    let decimals = |s: &str| s.find('.').map(|k| s.len() - k - 1).unwrap_or(0);
    let prec = match nums.len() {
        1 => decimals(&nums[0]),
        2 => decimals(&nums[0]).max(0),
        _ => decimals(&nums[0]).max(decimals(&nums[1])),
    };
    let mut items = Vec::new();
    let mut k = 0u64;
    loop {
        let v = first + inc * k as f64;
        if (inc > 0.0 && v > last + 1e-9) || (inc < 0.0 && v < last - 1e-9) {
            break;
        }
        items.push(v);
        k += 1;
        if items.len() > 10_000_000 {
            io.error("seq", "more than 10,000,000 numbers; stopped");
            return 1;
        }
    }
    let mut strs: Vec<String> = items
        .iter()
        .map(|v| match &format {
            Some(f) => String::from_utf8_lossy(&printf_format(f, &[format!("{}", v)], io).0).to_string(),
            None => format!("{:.*}", prec, v),
        })
        .collect();
    if equal && format.is_none() {
        let w = strs.iter().map(|s| s.len()).max().unwrap_or(0);
        strs = strs
            .into_iter()
            .map(|s| if let Some(r) = s.strip_prefix('-') { format!("-{:0>w$}", r, w = w - 1) } else { format!("{:0>w$}", s, w = w) })
            .collect();
    }
    if !strs.is_empty() {
        io.print(&format!("{}\n", strs.join(&sep)));
    }
    0
}

// ------------------------------------------------------------------------- sha256sum, base64

fn sha256_hex(data: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let d = Sha256::digest(data);
    d.iter().map(|b| format!("{:02x}", b)).collect()
}

pub fn sha256sum(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let p = match opts("sha256sum", argv, "cbtwz", &[("check", 'c'), ("binary", 'b'), ("text", 't'), ("quiet", 'q'), ("status", 's'), ("strict", 'S'), ("warn", 'w')], io, 1) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let files = if p.operands.is_empty() { vec!["-".to_string()] } else { p.operands.clone() };
    let mut status = 0;
    if p.has('c') {
        let mut failed = 0;
        for f in &files {
            let data = match input(sh, io, "sha256sum", f) {
                Some(d) => d,
                None => {
                    status = 1;
                    continue;
                }
            };
            for l in lines(&data) {
                let l = String::from_utf8_lossy(l);
                if l.len() < 66 {
                    continue;
                }
                let (want, name) = (&l[..64], l[64..].trim_start_matches(' ').trim_start_matches('*'));
                let ok = sh.fs.read(name).map(|d| sha256_hex(&d) == want.to_lowercase());
                match ok {
                    Ok(true) => {
                        if !p.has('q') && !p.has('s') {
                            io.print(&format!("{}: OK\n", name));
                        }
                    }
                    Ok(false) => {
                        failed += 1;
                        if !p.has('s') {
                            io.print(&format!("{}: FAILED\n", name));
                        }
                    }
                    Err(e) => {
                        failed += 1;
                        io.error("sha256sum", &format!("{}: {}", name, e));
                        io.print(&format!("{}: FAILED open or read\n", name));
                    }
                }
            }
        }
        if failed > 0 {
            if !p.has('s') {
                io.error("sha256sum", &format!("WARNING: {} computed checksum{} did NOT match", failed, if failed == 1 { "" } else { "s" }));
            }
            status = 1;
        }
        return status;
    }
    for f in &files {
        if f != "-" && sh.fs.is_dir(f) {
            io.error("sha256sum", &format!("{}: Is a directory", f));
            status = 1;
            continue;
        }
        match input(sh, io, "sha256sum", f) {
            Some(d) => io.print(&format!("{}  {}\n", sha256_hex(&d), f)),
            None => status = 1,
        }
    }
    status
}

pub fn base64(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let p = match opts("base64", argv, "diw:", &[("decode", 'd'), ("ignore-garbage", 'i'), ("wrap=", 'w')], io, 1) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let (data, ok) = all_inputs(sh, io, "base64", &p.operands);
    if !ok {
        return 1;
    }
    if p.has('d') {
        let clean: Vec<u8> = data
            .iter()
            .cloned()
            .filter(|b| if p.has('i') { b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/' || *b == b'=' } else { !b.is_ascii_whitespace() })
            .collect();
        return match ::base64::decode(&clean) {
            Ok(d) => {
                io.write(&d);
                0
            }
            Err(_) => {
                io.error("base64", "invalid input");
                1
            }
        };
    }
    let wrap: usize = match p.value('w').map(|w| w.parse::<usize>()) {
        None => 76,
        Some(Ok(w)) => w,
        Some(Err(_)) => {
            io.error("base64", &format!("invalid wrap size: '{}'", p.value('w').unwrap_or("")));
            return 1;
        }
    };
    let enc = ::base64::encode(&data);
    let mut out = String::new();
    if wrap == 0 {
        out.push_str(&enc);
    } else {
        for (k, ch) in enc.as_bytes().chunks(wrap).enumerate() {
            if k > 0 {
                out.push('\n');
            }
            out.push_str(&String::from_utf8_lossy(ch));
        }
    }
    if !enc.is_empty() {
        out.push('\n');
    }
    io.print(&out);
    0
}

// ------------------------------------------------------------------------------------- date

pub fn date(_sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let p = match opts("date", argv, "ud:I:Rr:", &[("utc", 'u'), ("universal", 'u'), ("date=", 'd'), ("iso-8601=", 'I'), ("iso-8601", 'i'), ("rfc-2822", 'R'), ("rfc-email", 'R'), ("rfc-3339=", '3')], io, 1) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let (secs, nanos) = match p.value('d') {
        Some(d) => match crate::time::parse(d) {
            Some(s) => (s, 0),
            None => {
                io.error("date", &format!("invalid date '{}'", d));
                return 1;
            }
        },
        None => crate::time::now(),
    };
    let c = crate::time::civil(secs, nanos);
    let mut fmt = "%a %b %e %H:%M:%S %Z %Y".to_string();
    for op in &p.operands {
        if let Some(f) = op.strip_prefix('+') {
            fmt = f.to_string();
        } else {
            io.error("date", &format!("setting the date is not possible in the sandbox ('{}')", op));
            return 1;
        }
    }
    if p.has('i') || p.has('I') {
        fmt = match p.value('I').unwrap_or("date") {
            "hours" | "h" => "%Y-%m-%dT%H+00:00",
            "minutes" | "m" => "%Y-%m-%dT%H:%M+00:00",
            "seconds" | "s" => "%Y-%m-%dT%H:%M:%S+00:00",
            "ns" => "%Y-%m-%dT%H:%M:%S,%N+00:00",
            _ => "%Y-%m-%d",
        }
        .to_string();
    }
    if p.has('R') {
        fmt = "%a, %d %b %Y %H:%M:%S +0000".to_string();
    }
    if let Some(k) = p.value('3') {
        fmt = match k {
            "date" => "%Y-%m-%d",
            "ns" => "%Y-%m-%d %H:%M:%S.%N+00:00",
            _ => "%Y-%m-%d %H:%M:%S+00:00",
        }
        .to_string();
    }
    io.print(&format!("{}\n", crate::time::format(&c, &fmt)));
    0
}

// ------------------------------------------------------------------------------- env, printenv

pub fn env(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let mut i = 1;
    let mut clear = false;
    let mut unset: Vec<String> = Vec::new();
    let mut assigns: Vec<(String, String)> = Vec::new();
    while i < argv.len() {
        let a = &argv[i];
        if a == "-i" || a == "-" || a == "--ignore-environment" {
            clear = true;
        } else if a == "-u" {
            i += 1;
            unset.push(argv.get(i).cloned().unwrap_or_default());
        } else if let Some((n, v)) = crate::parser::assignment(a) {
            assigns.push((n, v));
        } else if a == "--" {
        } else {
            break;
        }
        i += 1;
    }
    let mut vars: Vec<(String, String)> = if clear {
        Vec::new()
    } else {
        sh.exported.iter().filter(|n| !unset.contains(n)).map(|n| (n.clone(), sh.var(n))).collect()
    };
    for (n, v) in &assigns {
        vars.retain(|(k, _)| k != n);
        vars.push((n.clone(), v.clone()));
    }
    if i >= argv.len() {
        for (n, v) in vars {
            io.print(&format!("{}={}\n", n, v));
        }
        return 0;
    }
    // run the command with the changed environment
    let saved_vars = sh.vars.clone();
    let saved_exp = sh.exported.clone();
    if clear {
        sh.exported.clear();
    }
    for n in &unset {
        sh.vars.remove(n);
        sh.exported.remove(n);
    }
    for (n, v) in &assigns {
        sh.set_var(n, v);
        sh.exported.insert(n.clone());
    }
    let status = sh.run_command(&argv[i..], io);
    sh.vars = saved_vars;
    sh.exported = saved_exp;
    status
}

pub fn printenv(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    if argv.len() == 1 {
        for n in sh.exported.clone() {
            io.print(&format!("{}={}\n", n, sh.var(&n)));
        }
        return 0;
    }
    let mut status = 0;
    for n in &argv[1..] {
        if sh.exported.contains(n) {
            io.print(&format!("{}\n", sh.var(n)));
        } else {
            status = 1;
        }
    }
    status
}

// ------------------------------------------------------------------------------------ xargs

/// Splits xargs input into items: blanks and newlines separate, quotes and backslashes group.
fn xargs_items(data: &str) -> Result<Vec<String>, String> {
    let mut items = Vec::new();
    let mut cur = String::new();
    let mut has = false;
    let mut chars = data.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' => {
                if has {
                    items.push(std::mem::take(&mut cur));
                    has = false;
                }
            }
            '\'' | '"' => {
                has = true;
                loop {
                    match chars.next() {
                        Some(q) if q == c => break,
                        Some('\n') | None => return Err(format!("unmatched {} quote; by default quotes are special to xargs unless you use the -0 option", if c == '"' { "double" } else { "single" })),
                        Some(x) => cur.push(x),
                    }
                }
            }
            '\\' => {
                has = true;
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            c => {
                has = true;
                cur.push(c);
            }
        }
    }
    if has {
        items.push(cur);
    }
    Ok(items)
}

pub fn xargs(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let mut i = 1;
    let mut max_args: Option<usize> = None;
    let mut replace: Option<String> = None;
    let mut nul = false;
    let mut delim: Option<char> = None;
    let mut no_empty = false;
    let mut trace = false;
    let mut max_lines: Option<usize> = None;
    while i < argv.len() && argv[i].starts_with('-') && argv[i].len() > 1 {
        let a = argv[i].clone();
        let value = |i: &mut usize, inline: &str| -> Option<String> {
            if !inline.is_empty() {
                Some(inline.to_string())
            } else {
                *i += 1;
                argv.get(*i).cloned()
            }
        };
        match a.as_str() {
            "--" => {
                i += 1;
                break;
            }
            "-0" | "--null" => nul = true,
            "-r" | "--no-run-if-empty" => no_empty = true,
            "-t" | "--verbose" => trace = true,
            "-x" | "--exit" => {}
            _ if a.starts_with("-n") => match value(&mut i, &a[2..]).and_then(|v| v.parse().ok()) {
                Some(n) => max_args = Some(n),
                None => {
                    io.error("xargs", "invalid number for -n option");
                    return 1;
                }
            },
            _ if a.starts_with("-L") => max_lines = value(&mut i, &a[2..]).and_then(|v| v.parse().ok()),
            _ if a.starts_with("-I") => replace = value(&mut i, &a[2..]),
            _ if a.starts_with("-i") => replace = Some(if a.len() > 2 { a[2..].to_string() } else { "{}".to_string() }),
            _ if a.starts_with("-d") => {
                let d = value(&mut i, &a[2..]).unwrap_or_default();
                delim = Some(match d.as_str() {
                    "\\n" => '\n',
                    "\\t" => '\t',
                    "\\0" => '\0',
                    _ => d.chars().next().unwrap_or('\n'),
                });
            }
            _ if a.starts_with("-P") || a.starts_with("-s") || a.starts_with("-E") => {
                if a.len() == 2 {
                    i += 1;
                }
            }
            _ => {
                io.error("xargs", &format!("invalid option -- '{}'", &a[1..]));
                return 1;
            }
        }
        i += 1;
    }
    let cmd: Vec<String> = if i < argv.len() { argv[i..].to_vec() } else { vec!["echo".to_string()] };
    let data = String::from_utf8_lossy(&io.read_all()).to_string();
    let items: Vec<String> = if nul {
        data.split('\0').filter(|s| !s.is_empty()).map(|s| s.to_string()).collect()
    } else if let Some(d) = delim {
        let mut v: Vec<String> = data.split(d).map(|s| s.to_string()).collect();
        if v.last().map(|s| s.is_empty() || s == "\n").unwrap_or(false) {
            v.pop();
        }
        v
    } else if replace.is_some() || max_lines.is_some() {
        // -I and -L take whole lines (leading blanks dropped)
        data.lines().map(|l| l.trim_start().to_string()).filter(|l| !l.is_empty()).collect()
    } else {
        match xargs_items(&data) {
            Ok(v) => v,
            Err(e) => {
                io.error("xargs", &e);
                return 1;
            }
        }
    };
    let mut batches: Vec<Vec<String>> = Vec::new();
    if let Some(r) = &replace {
        for it in &items {
            batches.push(cmd.iter().map(|c| c.replace(r.as_str(), it)).collect());
        }
    } else {
        let per = max_args.or(max_lines).unwrap_or(usize::MAX).max(1);
        for chunk in items.chunks(per.min(items.len().max(1))) {
            let mut v = cmd.clone();
            v.extend(chunk.iter().cloned());
            batches.push(v);
        }
        if items.is_empty() && !no_empty {
            batches.push(cmd.clone());
        }
    }
    let mut status = 0;
    for b in batches {
        if trace {
            io.eprint(&format!("{}\n", b.join(" ")));
        }
        let s = sh.run_command(&b, io);
        if s == 127 {
            return 127;
        }
        if s == 255 {
            io.error("xargs", &format!("{}: exited with status 255; aborting", b[0]));
            return 124;
        }
        if s != 0 {
            status = 123;
        }
    }
    status
}

pub fn sleep(_sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let mut total = 0.0;
    for a in &argv[1..] {
        let (num, mult) = match a.chars().last() {
            Some('s') => (&a[..a.len() - 1], 1.0),
            Some('m') => (&a[..a.len() - 1], 60.0),
            Some('h') => (&a[..a.len() - 1], 3600.0),
            Some('d') => (&a[..a.len() - 1], 86_400.0),
            _ => (a.as_str(), 1.0),
        };
        match num.parse::<f64>() {
            Ok(v) if v >= 0.0 => total += v * mult,
            _ => {
                io.error("sleep", &format!("invalid time interval '{}'", a));
                return 1;
            }
        }
    }
    if argv.len() == 1 {
        io.error("sleep", "missing operand");
        return 1;
    }
    std::thread::sleep(std::time::Duration::from_secs_f64(total.min(3600.0)));
    0
}

// ------------------------------------------------------------------------------------- expr

pub fn expr(_sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let a = &argv[1..];
    let mut pos = 0;
    match expr_or(a, &mut pos) {
        Ok(v) => {
            if pos < a.len() {
                io.error("expr", &format!("syntax error: unexpected argument '{}'", a[pos]));
                return 2;
            }
            io.print(&format!("{}\n", v));
            if v.is_empty() || v == "0" { 1 } else { 0 }
        }
        Err(e) => {
            io.error("expr", &e);
            2
        }
    }
}

fn expr_or(a: &[String], p: &mut usize) -> Result<String, String> {
    let mut l = expr_and(a, p)?;
    while a.get(*p).map(|s| s.as_str()) == Some("|") {
        *p += 1;
        let r = expr_and(a, p)?;
        if l.is_empty() || l == "0" {
            l = r;
        }
    }
    Ok(l)
}

fn expr_and(a: &[String], p: &mut usize) -> Result<String, String> {
    let mut l = expr_cmp(a, p)?;
    while a.get(*p).map(|s| s.as_str()) == Some("&") {
        *p += 1;
        let r = expr_cmp(a, p)?;
        if l.is_empty() || l == "0" || r.is_empty() || r == "0" {
            l = "0".to_string();
        }
    }
    Ok(l)
}

fn expr_cmp(a: &[String], p: &mut usize) -> Result<String, String> {
    let l = expr_add(a, p)?;
    if let Some(op) = a.get(*p).map(|s| s.as_str()) {
        if matches!(op, "=" | "==" | "!=" | "<" | "<=" | ">" | ">=") {
            *p += 1;
            let r = expr_add(a, p)?;
            let o = match (l.parse::<i64>(), r.parse::<i64>()) {
                (Ok(x), Ok(y)) => x.cmp(&y),
                _ => l.cmp(&r),
            };
            let t = match op {
                "=" | "==" => o.is_eq(),
                "!=" => !o.is_eq(),
                "<" => o.is_lt(),
                "<=" => o.is_le(),
                ">" => o.is_gt(),
                _ => o.is_ge(),
            };
            return Ok(if t { "1" } else { "0" }.to_string());
        }
    }
    Ok(l)
}

fn expr_add(a: &[String], p: &mut usize) -> Result<String, String> {
    let mut l = expr_mul(a, p)?;
    while let Some(op) = a.get(*p).map(|s| s.as_str()) {
        if op != "+" && op != "-" {
            break;
        }
        *p += 1;
        let r = expr_mul(a, p)?;
        let (x, y) = (int(&l)?, int(&r)?);
        l = if op == "+" { x + y } else { x - y }.to_string();
    }
    Ok(l)
}

fn expr_mul(a: &[String], p: &mut usize) -> Result<String, String> {
    let mut l = expr_match(a, p)?;
    while let Some(op) = a.get(*p).map(|s| s.as_str()) {
        if op != "*" && op != "/" && op != "%" {
            break;
        }
        *p += 1;
        let r = expr_match(a, p)?;
        let (x, y) = (int(&l)?, int(&r)?);
        if op != "*" && y == 0 {
            return Err("division by zero".to_string());
        }
        l = match op {
            "*" => x * y,
            "/" => x / y,
            _ => x % y,
        }
        .to_string();
    }
    Ok(l)
}

fn expr_match(a: &[String], p: &mut usize) -> Result<String, String> {
    let l = expr_primary(a, p)?;
    if a.get(*p).map(|s| s.as_str()) == Some(":") {
        *p += 1;
        let r = expr_primary(a, p)?;
        let re = crate::pattern::compile(&format!("^(?:{})", r), false, false)?;
        return Ok(match re.captures(&l) {
            Some(c) => match c.get(1) {
                Some(g) => g.as_str().to_string(),
                None => c.get(0).map(|m| m.as_str().chars().count()).unwrap_or(0).to_string(),
            },
            None => if re.captures_len() > 1 { String::new() } else { "0".to_string() },
        });
    }
    Ok(l)
}

fn expr_primary(a: &[String], p: &mut usize) -> Result<String, String> {
    let t = a.get(*p).cloned().ok_or("syntax error: missing argument")?;
    *p += 1;
    match t.as_str() {
        "(" => {
            let v = expr_or(a, p)?;
            if a.get(*p).map(|s| s.as_str()) != Some(")") {
                return Err("syntax error: expecting ')'".to_string());
            }
            *p += 1;
            Ok(v)
        }
        "length" => Ok(expr_primary(a, p)?.chars().count().to_string()),
        "substr" => {
            let s = expr_primary(a, p)?;
            let pos = int(&expr_primary(a, p)?)?;
            let len = int(&expr_primary(a, p)?)?;
            if pos < 1 || len < 1 {
                return Ok(String::new());
            }
            Ok(s.chars().skip(pos as usize - 1).take(len as usize).collect())
        }
        "index" => {
            let s = expr_primary(a, p)?;
            let chars = expr_primary(a, p)?;
            Ok(s.chars().position(|c| chars.contains(c)).map(|k| k + 1).unwrap_or(0).to_string())
        }
        _ => Ok(t),
    }
}

fn int(s: &str) -> Result<i64, String> {
    s.parse().map_err(|_| "non-integer argument".to_string())
}
