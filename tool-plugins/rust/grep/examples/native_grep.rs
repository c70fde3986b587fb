//! The grep tool's own code compiled for the host instead of wasm32-wasi, run in-process on a directory: the
//! speed the same search would have without the sandbox (benchmarks/grep-native.sh; not part of any tool).
//!   cargo run --release --example native_grep -p tool_grep -- DIR REQUEST_JSON RUNS
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        eprintln!("usage: native_grep DIR REQUEST_JSON RUNS");
        std::process::exit(2);
    }
    let ws = tool_common::Workspace::at(&args[1]);
    let runs: usize = args[3].parse().expect("RUNS: a number");
    let mut millis = Vec::with_capacity(runs);
    let mut total = None;
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let (out, code) = tool_common::run_json(&args[2], tool_grep::FIELDS, &ws, tool_grep::run);
        millis.push(started.elapsed().as_secs_f64() * 1000.0);
        if code != 0 {
            eprintln!("grep failed: {}", out);
            std::process::exit(1);
        }
        total = out.get("total").and_then(|t| t.as_u64());
    }
    millis.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!("{:.1} {:.1} {}", millis[millis.len() / 2], millis[0], total.unwrap_or(0));
}
