use std::io::Read;
use tool_common::{Args, ToolError};

fn main() {
    let mut raw = Vec::new();
    let result = match std::io::stdin().read_to_end(&mut raw) {
        Err(e) => Err(ToolError::failed(format!("could not read stdin: {}", e))),
        Ok(_) => match String::from_utf8(raw) {
            Err(_) => Err(ToolError::invalid("input is not valid UTF-8")),
            Ok(text) => Args::parse(&text, tool_web_fetch::FIELDS)
                .and_then(|args| tool_web_fetch::request(&args))
                .and_then(|request| tool_web_fetch::ask_host(&request)),
        },
    };
    let (out, code) = match result {
        Ok(answer) => tool_web_fetch::outcome(&answer),
        Err(e) => (e.to_json(), 1),
    };
    if code != 0 {
        eprintln!("{}", out);
    }
    tool_common::exit_with(&out, code)
}
