//! The built-in utilities, one module per group, and what they share: GNU-style option parsing and
//! reading named files or stdin.

use crate::io::Io;
use crate::shell::Shell;

pub mod diff;
pub mod files;
pub mod find;
pub mod grep;
pub mod misc;
pub mod sed;
pub mod sort;
pub mod text;

pub type Util = fn(&mut Shell, &[String], &Io) -> i32;

/// The utility called `name`, if the sandbox has it.
pub fn find(name: &str) -> Option<Util> {
    Some(match name {
        "cat" => text::cat,
        "head" => text::head,
        "tail" => text::tail,
        "wc" => text::wc,
        "uniq" => text::uniq,
        "cut" => text::cut,
        "tr" => text::tr,
        "tac" => text::tac,
        "rev" => text::rev,
        "nl" => text::nl,
        "paste" => text::paste,
        "sort" => sort::sort,
        "grep" => grep::grep,
        "egrep" => grep::egrep,
        "fgrep" => grep::fgrep,
        "sed" => sed::sed,
        "ls" => files::ls,
        "find" => find::find,
        "mkdir" => files::mkdir,
        "cp" => files::cp,
        "mv" => files::mv,
        "rm" => files::rm,
        "rmdir" => files::rmdir,
        "touch" => files::touch,
        "tee" => files::tee,
        "basename" => files::basename,
        "dirname" => files::dirname,
        "realpath" => files::realpath,
        "stat" => files::stat,
        "du" => files::du,
        "diff" => diff::diff,
        "patch" => diff::patch,
        "echo" => misc::echo,
        "printf" => misc::printf,
        "test" => misc::test,
        "[" => misc::test_bracket,
        "seq" => misc::seq,
        "sha256sum" => misc::sha256sum,
        "base64" => misc::base64,
        "date" => misc::date,
        "env" => misc::env,
        "printenv" => misc::printenv,
        "true" | ":" => misc::true_,
        "false" => misc::false_,
        "xargs" => misc::xargs,
        "sleep" => misc::sleep,
        "expr" => misc::expr,
        _ => return None,
    })
}

/// Every command name the shell knows, for `help` texts and the descriptor.
pub const NAMES: &[&str] = &[
    "base64", "basename", "cat", "cp", "cut", "date", "diff", "dirname", "du", "echo", "egrep", "env", "expr",
    "false", "fgrep", "find", "grep", "head", "ls", "mkdir", "mv", "nl", "paste", "patch", "printenv", "printf",
    "realpath", "rev", "rm", "rmdir", "sed", "seq", "sha256sum", "sleep", "sort", "stat", "tac", "tail", "tee",
    "test", "[", "touch", "tr", "true", "uniq", "wc", "xargs",
];

/// A parsed command line: options in order (short letter, or the long name's letter) and operands.
pub struct Parsed {
    pub opts: Vec<(char, String)>,
    pub operands: Vec<String>,
}

impl Parsed {
    pub fn has(&self, c: char) -> bool {
        self.opts.iter().any(|(k, _)| *k == c)
    }

    /// The last value given for option `c`.
    pub fn value(&self, c: char) -> Option<&str> {
        self.opts.iter().rev().find(|(k, _)| *k == c).map(|(_, v)| v.as_str())
    }

    pub fn values(&self, c: char) -> Vec<String> {
        self.opts.iter().filter(|(k, _)| *k == c).map(|(_, v)| v.clone()).collect()
    }
}

/// GNU-style options: `short` lists letters, a `:` after one means it takes a value; `long` maps
/// names to letters (`=` after a name: takes a value). Options may follow operands; `--` ends them.
pub fn parse(name: &str, argv: &[String], short: &str, long: &[(&str, char)]) -> Result<Parsed, String> {
    let mut opts = Vec::new();
    let mut operands = Vec::new();
    let takes = |c: char| short.find(c).map(|i| short[i + c.len_utf8()..].starts_with(':')).unwrap_or(false);
    let mut i = 1;
    while i < argv.len() {
        let a = &argv[i];
        if a == "--" {
            operands.extend(argv[i + 1..].iter().cloned());
            break;
        }
        if let Some(l) = a.strip_prefix("--") {
            let (lname, val) = match l.find('=') {
                Some(k) => (&l[..k], Some(l[k + 1..].to_string())),
                None => (l, None),
            };
            // unique prefixes are accepted, as GNU does
            let exact = long.iter().find(|(n, _)| n.trim_end_matches('=') == lname);
            let cands: Vec<&(&str, char)> = long.iter().filter(|(n, _)| n.starts_with(lname)).collect();
            let hit = exact.or(if cands.len() == 1 { Some(cands[0]) } else { None });
            match hit {
                Some((n, c)) => {
                    if n.ends_with('=') {
                        let v = match val {
                            Some(v) => v,
                            None => {
                                i += 1;
                                argv.get(i).cloned().ok_or_else(|| {
                                    format!("option '--{}' requires an argument", n.trim_end_matches('='))
                                })?
                            }
                        };
                        opts.push((*c, v));
                    } else {
                        if val.is_some() {
                            return Err(format!("option '--{}' doesn't allow an argument", n));
                        }
                        opts.push((*c, String::new()));
                    }
                }
                None => return Err(format!("unrecognized option '{}'", a)),
            }
            i += 1;
            continue;
        }
        if a.starts_with('-') && a.len() > 1 {
            let chars: Vec<char> = a[1..].chars().collect();
            let mut k = 0;
            while k < chars.len() {
                let c = chars[k];
                if !short.contains(c) || c == ':' {
                    return Err(format!("invalid option -- '{}'", c));
                }
                if takes(c) {
                    let rest: String = chars[k + 1..].iter().collect();
                    let v = if !rest.is_empty() {
                        rest
                    } else {
                        i += 1;
                        argv.get(i).cloned().ok_or_else(|| format!("option requires an argument -- '{}'", c))?
                    };
                    opts.push((c, v));
                    break;
                }
                opts.push((c, String::new()));
                k += 1;
            }
            i += 1;
            continue;
        }
        operands.push(a.clone());
        i += 1;
    }
    let _ = name;
    Ok(Parsed { opts, operands })
}

/// Parses options, or reports the error as `NAME: ...` and returns the exit status to use.
pub fn opts(name: &str, argv: &[String], short: &str, long: &[(&str, char)], io: &Io, bad: i32) -> Result<Parsed, i32> {
    parse(name, argv, short, long).map_err(|e| {
        io.error(name, &e);
        bad
    })
}

/// The content of an input operand (`-` is stdin), or None after reporting `NAME: FILE: error`.
pub fn input(sh: &Shell, io: &Io, name: &str, file: &str) -> Option<Vec<u8>> {
    if file == "-" {
        return Some(io.read_all());
    }
    match sh.fs.read(file) {
        Ok(d) => Some(d),
        Err(e) => {
            io.error(name, &format!("{}: {}", file, e));
            None
        }
    }
}

/// Splits into lines without their newlines; a last line without one is a line too.
pub fn lines(data: &[u8]) -> Vec<&[u8]> {
    let mut v: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    if data.is_empty() || data.ends_with(b"\n") {
        v.pop();
    }
    v
}

/// Reads every operand (stdin when none) and concatenates them, reporting missing files.
pub fn all_inputs(sh: &Shell, io: &Io, name: &str, files: &[String]) -> (Vec<u8>, bool) {
    if files.is_empty() {
        return (io.read_all(), true);
    }
    let mut data = Vec::new();
    let mut ok = true;
    for f in files {
        match input(sh, io, name, f) {
            Some(d) => data.extend_from_slice(&d),
            None => ok = false,
        }
    }
    (data, ok)
}

/// Parses a count like `10`, `+5`, `-5`, `2K`, `1M`.
pub fn parse_count(s: &str) -> Option<u64> {
    let s = s.trim_start_matches('+');
    let (num, mult) = match s.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((k, _)) => (&s[..k], &s[k..]),
        None => (s, ""),
    };
    let n: u64 = num.parse().ok()?;
    let m: u64 = match mult {
        "" => 1,
        "b" => 512,
        "K" | "KiB" | "k" => 1024,
        "KB" | "kB" => 1000,
        "M" | "MiB" => 1 << 20,
        "MB" => 1_000_000,
        "G" | "GiB" => 1 << 30,
        "GB" => 1_000_000_000,
        _ => return None,
    };
    n.checked_mul(m)
}
