//! The tool's input and output, and what the GNU comparison (tests/gnu.rs) cannot show: the
//! sandbox's own messages, paths at the workspace root, read-only refusals, limits.

use super::*;
use serde_json::Value;
use std::fs;

fn ws() -> (std::path::PathBuf, Workspace) {
    let root = tool_common::test_dir("shell");
    fs::create_dir_all(root.join("src/deep")).unwrap();
    fs::write(root.join("a.txt"), "alpha\nbeta\n").unwrap();
    fs::write(root.join("src/deep/x.rs"), "fn x() {}\n").unwrap();
    let w = Workspace::at(&root);
    (root, w)
}

fn sh(w: &Workspace, cmd: &str) -> Outcome {
    execute(w, cmd, "")
}

fn out(w: &Workspace, cmd: &str) -> String {
    String::from_utf8(sh(w, cmd).stdout).unwrap()
}

fn err(w: &Workspace, cmd: &str) -> String {
    String::from_utf8(sh(w, cmd).stderr).unwrap()
}

#[test]
fn input_and_result() {
    let (root, w) = ws();
    let (v, code) = tool_common::run_json(r#"{"command":"cat a.txt; echo oops >&2; exit 3"}"#, FIELDS, &w, run);
    assert_eq!(code, 0, "{}", v);
    assert_eq!(v, serde_json::json!({"exit_code":3,"truncated":false,"stdout":"alpha\nbeta\n","stderr":"oops\n"}));
    let (v, _) = tool_common::run_json(r#"{"command":"pwd; ls","cwd":"src"}"#, FIELDS, &w, run);
    assert_eq!(v["stdout"], "/src\ndeep\n");
    let (v, code) = tool_common::run_json(r#"{"command":"ls","cwd":"nope"}"#, FIELDS, &w, run);
    assert_eq!(code, 1);
    assert_eq!(v["error"]["kind"], "not_found");
    let (v, _) = tool_common::run_json(r#"{"command":"ls","cwd":"a.txt"}"#, FIELDS, &w, run);
    assert!(v["error"]["message"].as_str().unwrap().contains("is a file"), "{}", v);
    let (v, _) = tool_common::run_json(r#"{"command":"ls","cwd":"../.."}"#, FIELDS, &w, run);
    assert_eq!(v["error"]["kind"], "invalid_input");
    let (v, _) = tool_common::run_json(r#"{"command":"  "}"#, FIELDS, &w, run);
    assert!(v["error"]["message"].as_str().unwrap().contains("'command' is empty"));
    let (v, _) = tool_common::run_json(r#"{"cmd":"ls"}"#, FIELDS, &w, run);
    assert!(v["error"]["message"].as_str().unwrap().contains("unknown field 'cmd'"));
    let _ = fs::remove_dir_all(root);
}

#[test]
fn unknown_commands_are_not_available() {
    let (root, w) = ws();
    let o = sh(&w, "python3 -c 'print(1)'");
    assert_eq!(o.exit_code, 127);
    assert_eq!(String::from_utf8(o.stderr).unwrap(), "sh: python3: not available in the sandbox\n");
    let o = sh(&w, "ls | nosuch | wc -l");
    assert_eq!(String::from_utf8(o.stdout).unwrap(), "0\n");
    assert_eq!(err(&w, "./build.sh"), "sh: ./build.sh: not available in the sandbox\n");
    assert_eq!(out(&w, "/usr/bin/env | grep -c LC_ALL"), "1\n");
    assert_eq!(out(&w, "command -v grep; command -v gcc; echo $?"), "grep\n1\n");
    let _ = fs::remove_dir_all(root);
}

#[test]
fn paths_stay_in_the_workspace() {
    let (root, w) = ws();
    assert_eq!(out(&w, "cd ../../..; pwd; ls"), "/\na.txt\nsrc\n");
    assert_eq!(out(&w, "cat /a.txt | head -1; cd /src/deep && pwd && cat ../../a.txt | wc -l"), "alpha\n/src/deep\n2\n");
    assert_eq!(out(&w, "realpath src/deep/x.rs; cd src; realpath ../a.txt; dirname $(realpath deep)"), "/src/deep/x.rs\n/a.txt\n/src\n");
    assert_eq!(out(&w, "echo ~; cd; pwd"), "/\n/\n");
    assert_eq!(out(&w, "cd src; echo $PWD $OLDPWD; cd -"), "/src /\n/\n");
    assert_eq!(err(&w, "cd nope"), "sh: cd: nope: No such file or directory\n");
    let _ = fs::remove_dir_all(root);
}

#[test]
fn syntax_errors_and_limits() {
    let (root, w) = ws();
    let o = sh(&w, "echo 'unclosed");
    assert_eq!(o.exit_code, 2);
    assert_eq!(String::from_utf8(o.stderr).unwrap(), "sh: unexpected end of input: missing closing '\n");
    assert_eq!(err(&w, "if true; then echo"), "sh: syntax error: unexpected end of input (expected `fi')\n");
    let o = sh(&w, "seq 100000");
    assert!(o.truncated);
    assert_eq!(o.stdout.len(), STDOUT_LIMIT);
    let o = sh(&w, "seq 100000 | tail -1");
    assert!(!o.truncated);
    assert_eq!(String::from_utf8(o.stdout).unwrap(), "100000\n");
    assert_eq!(err(&w, "echo $((1/0))"), "sh: division by 0\n");
    assert_eq!(err(&w, "f() { echo; }"), "sh: syntax error: functions are not supported (`f()')\n");
    let _ = fs::remove_dir_all(root);
}

#[test]
fn ls_long_and_dates() {
    let (root, w) = ws();
    let long = out(&w, "ls -l");
    let lines: Vec<&str> = long.lines().collect();
    assert!(lines[0].starts_with("total "), "{}", long);
    assert!(lines[1].starts_with("-????????? ? ? ? ") && lines[1].contains(" 11 ") && lines[1].ends_with(" a.txt"), "{}", long);
    assert!(lines[2].starts_with("d????????? ? ? ? ") && lines[2].ends_with(" src"), "{}", long);
    let lh = out(&w, "seq 2000 > big.txt; ls -lh big.txt");
    assert!(lh.contains(" 8.7K "), "{}", lh);
    let d = out(&w, "date +%Y");
    assert!(d.trim().parse::<i32>().unwrap() >= 2024, "{}", d);
    assert_eq!(out(&w, "date -u -d @1795767623"), "Fri Nov 27 08:20:23 UTC 2026\n");
    assert_eq!(err(&w, "date -d tomorrow-ish"), "date: invalid date 'tomorrow-ish'\n");
    assert_eq!(out(&w, "stat -c '%s %n' a.txt"), "11 a.txt\n");
    assert_eq!(out(&w, "du -s src | cut -f2"), "src\n");
    let _ = fs::remove_dir_all(root);
}

#[test]
fn under_a_read_only_grant_every_write_is_refused_before_it_is_tried() {
    let (root, w) = ws();
    let o = execute_with(&w, "echo x > new.txt; echo $?; rm a.txt; echo $?; sed -i s/alpha/A/ a.txt; echo $?; mv a.txt b.txt; echo $?; mkdir d; cat a.txt", "", true);
    assert_eq!(o.exit_code, 0);
    assert_eq!(String::from_utf8(o.stdout).unwrap(), "1\n1\n4\n1\nalpha\nbeta\n");
    let msg = String::from_utf8(o.stderr).unwrap();
    let expected = [
        format!("sh: new.txt: {}", vfs::READ_ONLY),
        format!("rm: cannot remove 'a.txt': {}", vfs::READ_ONLY),
        format!("sed: cannot write a.txt: {}", vfs::READ_ONLY),
        format!("mv: cannot move 'a.txt' to 'b.txt': {}", vfs::READ_ONLY),
        format!("mkdir: cannot create directory 'd': {}", vfs::READ_ONLY),
    ];
    assert_eq!(msg.lines().collect::<Vec<_>>(), expected);
    assert!(!root.join("new.txt").exists() && !root.join("d").exists() && !root.join("b.txt").exists());
    assert_eq!(fs::read_to_string(root.join("a.txt")).unwrap(), "alpha\nbeta\n");
    let _ = fs::remove_dir_all(root);
}

#[test]
fn xargs_and_find_run_built_ins() {
    let (root, w) = ws();
    assert_eq!(out(&w, "find . -name '*.rs' | xargs grep -l fn"), "./src/deep/x.rs\n");
    assert_eq!(out(&w, "echo a.txt | xargs -I F sh -c 'wc -l < F'"), "2\n");
    let o = sh(&w, "echo x | xargs nosuch");
    assert_eq!(o.exit_code, 127);
    let o = sh(&w, "find . -name '*.rs' -exec sed -i s/x/y/ {} \\; -print; cat src/deep/x.rs");
    assert_eq!(String::from_utf8(o.stdout).unwrap(), "./src/deep/x.rs\nfn y() {}\n");
    let _ = fs::remove_dir_all(root);
}

#[test]
fn json_output_escapes_binary() {
    let (root, w) = ws();
    fs::write(root.join("bin.dat"), [0u8, 159, 146, 150, b'\n']).unwrap();
    let (v, _) = tool_common::run_json(r#"{"command":"cat bin.dat; grep -c . bin.dat"}"#, FIELDS, &w, run);
    assert!(v["stdout"].as_str().unwrap().starts_with('\u{0}'));
    assert_eq!(v["exit_code"], Value::from(0));
    let _ = fs::remove_dir_all(root);
}
