//! read_file: returns a window of lines of a text file.
//!
//! Streams the file in 64 KiB blocks so memory stays bounded whatever the file size
//! (total_lines needs a full pass, content is capped by `limit` lines and `max_bytes`).

use std::fs::File;
use std::io::Read;
use tool_common::{is_binary, Args, Obj, ToolError, ToolResult, Workspace, BINARY_PROBE};

pub const FIELDS: &[&str] = &["path", "offset", "limit", "max_bytes"];
pub const DEFAULT_LIMIT: u64 = 2000;
pub const MAX_LIMIT: u64 = 100_000;
pub const DEFAULT_MAX_BYTES: u64 = 256 * 1024;
pub const MAX_MAX_BYTES: u64 = 512 * 1024;

/// Result of scanning a byte stream for a line window.
#[derive(Debug, PartialEq, Eq)]
pub struct Window {
    pub content: Vec<u8>,
    /// Last line (1-based) included in content; start-1 when nothing was included.
    pub end_line: u64,
    pub total_lines: u64,
    /// The first included line was cut at max_bytes.
    pub line_cut: bool,
}

/// Scans `r` and collects lines `start ..= start+limit-1`, at most `max_bytes` bytes of whole
/// lines (a single first line longer than `max_bytes` is cut).
pub fn scan<R: Read>(mut r: R, first: &[u8], start: u64, limit: u64, max_bytes: usize) -> std::io::Result<Window> {
    let last_wanted = start.saturating_add(limit - 1);
    let mut content: Vec<u8> = Vec::new();
    let mut line_no: u64 = 1; // line the next byte belongs to
    let mut line_start_len = 0usize; // content.len() when the current line began
    let mut end_line = start - 1;
    let mut collecting = true;
    let mut line_cut = false;
    let mut last_byte: Option<u8> = None;
    let mut buf = vec![0u8; 64 * 1024];
    let pending: &[u8] = first;
    let mut owned_first = true;
    loop {
        let chunk: &[u8] = if owned_first {
            owned_first = false;
            if pending.is_empty() {
                continue;
            }
            pending
        } else {
            let n = match r.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            &buf[..n]
        };
        last_byte = chunk.last().copied();
        if !collecting || line_no > last_wanted {
            collecting = false;
            line_no += chunk.iter().filter(|&&b| b == b'\n').count() as u64;
            continue;
        }
        let mut rest = chunk;
        while !rest.is_empty() {
            let (seg, ends_line) = match rest.iter().position(|&b| b == b'\n') {
                Some(i) => (&rest[..=i], true),
                None => (rest, false),
            };
            rest = &rest[seg.len()..];
            if collecting && line_no >= start && line_no <= last_wanted {
                if content.len() + seg.len() <= max_bytes {
                    content.extend_from_slice(seg);
                    if ends_line {
                        end_line = line_no;
                    }
                } else if line_no == start {
                    // The first requested line alone is over the budget: return its prefix.
                    let room = max_bytes - content.len();
                    content.extend_from_slice(&seg[..room]);
                    end_line = line_no;
                    line_cut = true;
                    collecting = false;
                } else {
                    // Drop the partial line; the window ends at the previous line.
                    content.truncate(line_start_len);
                    collecting = false;
                }
            }
            if ends_line {
                line_no += 1;
                line_start_len = content.len();
                if line_no > last_wanted {
                    collecting = false;
                }
            }
        }
    }
    // A final line without trailing newline.
    let total_lines = match last_byte {
        None if line_no == 1 => 0,
        Some(b'\n') => line_no - 1,
        _ => line_no,
    };
    if collecting && line_no >= start && line_no <= last_wanted && last_byte.is_some() && last_byte != Some(b'\n') {
        end_line = line_no;
    }
    Ok(Window { content, end_line, total_lines, line_cut })
}

/// Reads up to `n` bytes (fewer only at EOF).
fn read_prefix<R: Read>(r: &mut R, n: usize) -> std::io::Result<Vec<u8>> {
    let mut v = Vec::with_capacity(n);
    r.take(n as u64).read_to_end(&mut v)?;
    Ok(v)
}

pub fn run(args: &Args, ws: &Workspace) -> ToolResult {
    let path = args.str_req("path")?;
    let offset = args.uint_opt("offset", 1, 0, u32::MAX as u64)?;
    let start = offset.max(1); // 0 is read as "from the start"
    let limit = args.uint_opt("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)?;
    let max_bytes = args.uint_opt("max_bytes", DEFAULT_MAX_BYTES, 1, MAX_MAX_BYTES)? as usize;
    let r = ws.resolve(&path)?;
    let shown = r.display().to_string();
    let meta = std::fs::metadata(&r.abs).map_err(|e| ToolError::io("cannot read", &shown, &e))?;
    if meta.is_dir() {
        return Err(ToolError::invalid(format!("'{}' is a directory, not a file; use list_dir to see its entries", shown)));
    }
    let mut f = File::open(&r.abs).map_err(|e| ToolError::io("cannot open", &shown, &e))?;
    let first = read_prefix(&mut f, BINARY_PROBE).map_err(|e| ToolError::io("cannot read", &shown, &e))?;
    if is_binary(&first) {
        return Err(ToolError::failed(format!(
            "binary file '{}' ({} bytes): read_file only returns text (found a NUL byte or invalid UTF-8 in the first 8 KiB)",
            shown,
            meta.len()
        )));
    }
    let w = scan(&mut f, &first, start, limit, max_bytes).map_err(|e| ToolError::io("cannot read", &shown, &e))?;
    if start > 1 && start > w.total_lines {
        return Err(ToolError::invalid(format!(
            "offset {} is past the end of '{}' ({} lines)",
            start, shown, w.total_lines
        )));
    }
    let mut bytes = w.content;
    if w.line_cut {
        // Do not end in the middle of a UTF-8 sequence.
        if let Err(e) = std::str::from_utf8(&bytes) {
            if e.error_len().is_none() {
                bytes.truncate(e.valid_up_to());
            }
        }
    }
    let content = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    let truncated = w.line_cut || w.end_line < w.total_lines;
    let next = w.end_line + 1;
    Ok(Obj::new()
        .field("path", &shown)
        .field("start_line", &start)
        .field("end_line", &w.end_line)
        .field("total_lines", &w.total_lines)
        .field("truncated", &truncated)
        .field_if(w.line_cut, "line_cut", &true)
        .field_if(truncated && next <= w.total_lines, "next_offset", &next)
        .field("content", &content))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
    use std::fs;

    fn sc(text: &str, start: u64, limit: u64, max: usize) -> (String, u64, u64, bool) {
        // feed through tiny reads to exercise chunk boundaries
        struct Tiny<'a>(&'a [u8]);
        impl<'a> Read for Tiny<'a> {
            fn read(&mut self, b: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(3).min(b.len());
                b[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let bytes = text.as_bytes();
        let split = bytes.len().min(2);
        let w = scan(Tiny(&bytes[split..]), &bytes[..split], start, limit, max).unwrap();
        (String::from_utf8(w.content).unwrap(), w.end_line, w.total_lines, w.line_cut)
    }

    #[test]
    fn windows() {
        assert_eq!(sc("", 1, 10, 100), ("".into(), 0, 0, false));
        assert_eq!(sc("a", 1, 10, 100), ("a".into(), 1, 1, false));
        assert_eq!(sc("a\n", 1, 10, 100), ("a\n".into(), 1, 1, false));
        assert_eq!(sc("a\nb\nc\n", 2, 1, 100), ("b\n".into(), 2, 3, false));
        assert_eq!(sc("a\nb\nc", 2, 5, 100), ("b\nc".into(), 3, 3, false));
        assert_eq!(sc("a\n\n\nd\n", 1, 10, 100), ("a\n\n\nd\n".into(), 4, 4, false));
        // byte cap keeps whole lines
        assert_eq!(sc("aaaa\nbbbb\ncccc\n", 1, 10, 12), ("aaaa\nbbbb\n".into(), 2, 3, false));
        // first line longer than the cap is cut
        assert_eq!(sc("aaaaaaaaaa\nb\n", 1, 10, 4), ("aaaa".into(), 1, 2, true));
        assert_eq!(sc("x\naaaaaaaaaa\nb\n", 2, 10, 4), ("aaaa".into(), 2, 3, true));
        // CRLF kept verbatim
        assert_eq!(sc("a\r\nb\r\n", 1, 10, 100), ("a\r\nb\r\n".into(), 2, 2, false));
    }

    fn run_in(ws: &Workspace, input: &str) -> (Value, i32) {
        tool_common::run_json(input, FIELDS, ws, run)
    }

    #[test]
    fn tool_behaviour() {
        let root = tool_common::test_dir("read");
        let mut big = String::new();
        for i in 1..=3000 {
            big.push_str(&format!("line {}\n", i));
        }
        fs::write(root.join("big.txt"), &big).unwrap();
        fs::write(root.join("bin.dat"), b"PNG\0\x01\x02").unwrap();
        fs::write(root.join("latin1.txt"), b"caf\xe9\n").unwrap();
        fs::create_dir(root.join("dir")).unwrap();
        let ws = Workspace::at(&root);

        let (v, c) = run_in(&ws, r#"{"path":"/big.txt"}"#);
        assert_eq!(c, 0);
        assert_eq!(v["path"], "big.txt");
        assert_eq!(v["start_line"], 1);
        assert_eq!(v["end_line"], 2000);
        assert_eq!(v["total_lines"], 3000);
        assert_eq!(v["truncated"], true);
        assert_eq!(v["next_offset"], 2001);

        let (v, _) = run_in(&ws, r#"{"path":"big.txt","offset":2999,"limit":5}"#);
        assert_eq!(v["content"], "line 2999\nline 3000\n");
        assert_eq!(v["end_line"], 3000);
        assert_eq!(v["truncated"], false);
        assert!(v.get("next_offset").is_none());

        let (v, _) = run_in(&ws, r#"{"path":"big.txt","max_bytes":20}"#);
        assert_eq!(v["content"], "line 1\nline 2\n"); // 3 lines = 21 bytes > 20
        assert_eq!(v["truncated"], true);

        let (v, c) = run_in(&ws, r#"{"path":"big.txt","offset":3001}"#);
        assert_eq!(c, 1);
        assert_eq!(v["error"]["kind"], "invalid_input");
        assert!(v["error"]["message"].as_str().unwrap().contains("past the end"));

        let (v, c) = run_in(&ws, r#"{"path":"bin.dat"}"#);
        assert_eq!(c, 1);
        assert_eq!(v["error"]["kind"], "failed");
        assert!(v["error"]["message"].as_str().unwrap().starts_with("binary file 'bin.dat' (6 bytes)"));
        let (v, _) = run_in(&ws, r#"{"path":"latin1.txt"}"#);
        assert_eq!(v["error"]["kind"], "failed");

        let (v, _) = run_in(&ws, r#"{"path":"dir"}"#);
        assert!(v["error"]["message"].as_str().unwrap().contains("is a directory"));
        let (v, _) = run_in(&ws, r#"{"path":"nope.txt"}"#);
        assert_eq!(v["error"]["kind"], "not_found");
        let (v, _) = run_in(&ws, r#"{"path":"../etc/passwd"}"#);
        assert_eq!(v["error"]["kind"], "invalid_input");
        let (v, _) = run_in(&ws, r#"{}"#);
        assert!(v["error"]["message"].as_str().unwrap().contains("missing required field 'path'"));
        let _ = fs::remove_dir_all(&root);
    }
}
