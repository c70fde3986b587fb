//! Every command of gnu-cases.txt, run by bash with GNU coreutils and by the shell's interpreter on
//! the host, on fresh copies of fixture/: stdout, stderr, exit code and the workspace afterwards must
//! be equal. (ShellIT runs the same cases through the real GraalWasm sandbox.)

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use tool_common::Workspace;

pub struct Case {
    pub command: String,
    pub compare_stderr: bool,
    pub line: usize,
}

pub fn cases(text: &str) -> Vec<Case> {
    let mut out = Vec::new();
    let mut multi: Option<(usize, Vec<String>)> = None;
    for (k, raw) in text.lines().enumerate() {
        if let Some((start, ref mut lines)) = multi {
            if raw == ">>>>" {
                out.push(Case { command: lines.join("\n"), compare_stderr: true, line: start });
                multi = None;
            } else {
                lines.push(raw.to_string());
            }
            continue;
        }
        if raw == "<<<<" {
            multi = Some((k + 2, Vec::new()));
            continue;
        }
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        match raw.strip_prefix("~ ") {
            Some(c) => out.push(Case { command: c.to_string(), compare_stderr: false, line: k + 1 }),
            None => out.push(Case { command: raw.to_string(), compare_stderr: true, line: k + 1 }),
        }
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let t = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &t);
        } else {
            fs::copy(e.path(), &t).unwrap();
        }
    }
}

fn tree(root: &Path, rel: &str, out: &mut BTreeMap<String, Vec<u8>>) {
    let mut names: Vec<_> = fs::read_dir(root.join(rel)).unwrap().map(|e| e.unwrap()).collect();
    names.sort_by_key(|e| e.file_name());
    for e in names {
        let r = if rel.is_empty() { e.file_name().to_string_lossy().to_string() } else { format!("{}/{}", rel, e.file_name().to_string_lossy()) };
        if e.file_type().unwrap().is_dir() {
            out.insert(format!("{}/", r), Vec::new());
            tree(root, &r, out);
        } else {
            let mut data = fs::read(e.path()).unwrap();
            if r.ends_with(".diff") {
                data = normalize(&String::from_utf8_lossy(&data)).into_bytes();
            }
            out.insert(r, data);
        }
    }
}

/// `diff -u` header times differ between two runs: compare them as TIMESTAMP.
pub fn normalize(s: &str) -> String {
    let re = regex::Regex::new(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} \+0000").unwrap();
    re.replace_all(s, "TIMESTAMP").to_string()
}

fn fresh(name: &str) -> PathBuf {
    let d = tool_common::test_dir(name);
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixture"), &d);
    d
}

#[test]
fn matches_gnu_coreutils() {
    if Command::new("bash").arg("-c").arg("true").status().is_err() {
        eprintln!("bash is not installed; skipping the GNU comparison");
        return;
    }
    let text = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/gnu-cases.txt")).unwrap();
    let all = cases(&text);
    let only = std::env::var("GNU_CASE").ok();
    let mut failures = Vec::new();
    let mut passed = 0;
    for c in &all {
        if let Some(o) = &only {
            if !c.command.contains(o.as_str()) {
                continue;
            }
        }
        let gnu_dir = fresh("gnu");
        let ours_dir = fresh("ours");
        let g = Command::new("bash")
            .arg("-c")
            .arg(&c.command)
            .current_dir(&gnu_dir)
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("LC_ALL", "C")
            .env("TZ", "UTC")
            .output()
            .unwrap();
        let o = tool_shell::execute(&Workspace::at(&ours_dir), &c.command, "");
        let (gout, oout) = (normalize(&String::from_utf8_lossy(&g.stdout)), normalize(&String::from_utf8_lossy(&o.stdout)));
        let (gerr, oerr) = (String::from_utf8_lossy(&g.stderr).to_string(), String::from_utf8_lossy(&o.stderr).to_string());
        let gcode = g.status.code().unwrap_or(-1);
        let mut problems = Vec::new();
        if gout != oout {
            problems.push(format!("stdout\n--- GNU\n{}--- ours\n{}", gout, oout));
        }
        if c.compare_stderr && gerr != oerr {
            problems.push(format!("stderr\n--- GNU\n{}--- ours\n{}", gerr, oerr));
        }
        if gcode != o.exit_code {
            problems.push(format!("exit code: GNU {} ours {}", gcode, o.exit_code));
        }
        let (mut gt, mut ot) = (BTreeMap::new(), BTreeMap::new());
        tree(&gnu_dir, "", &mut gt);
        tree(&ours_dir, "", &mut ot);
        if gt != ot {
            let gk: Vec<&String> = gt.keys().collect();
            let ok: Vec<&String> = ot.keys().collect();
            let changed: Vec<&String> = gt.iter().filter(|(k, v)| ot.get(*k).map(|x| x != *v).unwrap_or(false)).map(|(k, _)| k).collect();
            problems.push(format!("workspace differs: GNU {:?}\nours {:?}\ncontent differs: {:?}", gk, ok, changed));
        }
        let _ = fs::remove_dir_all(&gnu_dir);
        let _ = fs::remove_dir_all(&ours_dir);
        if problems.is_empty() {
            passed += 1;
        } else {
            failures.push(format!("line {}: {}\n{}", c.line, c.command, problems.join("\n")));
        }
    }
    for f in &failures {
        eprintln!("==== {}\n", f);
    }
    eprintln!("GNU comparisons: {} passed, {} failed", passed, failures.len());
    assert!(failures.is_empty(), "{} of {} commands differ from GNU (see above)", failures.len(), passed + failures.len());
}
