//! web_fetch: fetches a web page through the host, which alone decides what may be fetched.
//!
//! The module has no network of its own (WASI preview 1 has none, and the sandbox gives no sockets). It checks
//! the input, hands `{"url", "max_bytes"}` to the one host function it imports, `boxagnts.web_fetch`, and returns
//! the host's answer: the page as `{"status", "content_type", "truncated", "url", "text"}`, or the host's error
//! (off by default, not on the allowlist, a private address, ...) as its own error envelope.

use serde_json::Value;
use tool_common::{Args, ToolError};

pub const FIELDS: &[&str] = &["url", "max_bytes"];
pub const DEFAULT_MAX_BYTES: u64 = 100_000;
pub const MAX_MAX_BYTES: u64 = 1_048_576;

/// The request the host gets, from the tool's input.
pub fn request(args: &Args) -> Result<String, ToolError> {
    let url = args.str_req("url")?;
    let trimmed = url.trim();
    let lower = trimmed.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return Err(ToolError::invalid(format!(
            "url must be an absolute http or https URL, not '{}'",
            trimmed
        )));
    }
    let max_bytes = args.uint_opt("max_bytes", DEFAULT_MAX_BYTES, 1, MAX_MAX_BYTES)?;
    Ok(serde_json::json!({ "url": trimmed, "max_bytes": max_bytes }).to_string())
}

/// The tool's output and exit code from the host's answer.
pub fn outcome(answer: &[u8]) -> (String, i32) {
    let parsed: Option<Value> = serde_json::from_slice(answer).ok();
    match parsed {
        Some(Value::Object(map)) => {
            if let Some(Value::Object(error)) = map.get("error") {
                let kind: &'static str = match error.get("kind").and_then(Value::as_str) {
                    Some("invalid_input") => "invalid_input",
                    Some("permission_denied") => "permission_denied",
                    Some("timeout") => "timeout",
                    _ => "failed",
                };
                let message = error.get("message").and_then(Value::as_str).unwrap_or("the fetch failed");
                return (ToolError { kind, message: message.to_string() }.to_json(), 1);
            }
            (String::from_utf8_lossy(answer).into_owned(), 0)
        }
        _ => (ToolError::failed("the host's answer is not a JSON object").to_json(), 1),
    }
}

#[cfg(target_arch = "wasm32")]
#[link(wasm_import_module = "boxagnts")]
extern "C" {
    fn web_fetch(request: *const u8, request_len: usize, out: *mut u8, out_capacity: usize) -> i32;
}

/// Asks the host; the answer is written into a buffer, grown once if the host says it needs more.
#[cfg(target_arch = "wasm32")]
pub fn ask_host(request: &str) -> Result<Vec<u8>, ToolError> {
    let mut buffer = vec![0u8; 256 * 1024];
    for _ in 0..2 {
        // SAFETY: both pointers and lengths describe live buffers of this function; the host writes at most
        // `buffer.len()` bytes and returns how many.
        let n = unsafe { web_fetch(request.as_ptr(), request.len(), buffer.as_mut_ptr(), buffer.len()) };
        if n >= 0 {
            buffer.truncate(n as usize);
            return Ok(buffer);
        }
        if n == -1 {
            return Err(ToolError::failed("the host could not read the request"));
        }
        buffer = vec![0u8; (-(n as i64)) as usize];
    }
    Err(ToolError::failed("the host's answer kept growing"))
}

/// Outside the sandbox there is no host to ask (the unit tests exercise request() and outcome()).
#[cfg(not(target_arch = "wasm32"))]
pub fn ask_host(_request: &str) -> Result<Vec<u8>, ToolError> {
    Err(ToolError::failed("web_fetch runs only inside the BoxAgnts sandbox"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(json: &str) -> Args {
        Args::parse(json, FIELDS).unwrap()
    }

    #[test]
    fn builds_the_host_request() {
        let r: Value = serde_json::from_str(&request(&args(r#"{"url":" https://docs.rs/x "}"#)).unwrap()).unwrap();
        assert_eq!(r["url"], "https://docs.rs/x");
        assert_eq!(r["max_bytes"], DEFAULT_MAX_BYTES);
        let r: Value =
            serde_json::from_str(&request(&args(r#"{"url":"http://a.b/","max_bytes":"500"}"#)).unwrap()).unwrap();
        assert_eq!(r["max_bytes"], 500);
    }

    #[test]
    fn refuses_what_is_not_a_web_url() {
        for bad in [r#"{"url":"file:///etc/passwd"}"#, r#"{"url":"docs.rs"}"#, r#"{"url":""}"#] {
            assert_eq!(request(&args(bad)).unwrap_err().kind, "invalid_input", "{}", bad);
        }
        assert_eq!(request(&args(r#"{"url":"https://a.b","max_bytes":0}"#)).unwrap_err().kind, "invalid_input");
        assert!(Args::parse(r#"{"uri":"https://a.b"}"#, FIELDS).is_err());
    }

    #[test]
    fn passes_pages_through_and_errors_as_its_own() {
        let page = br#"{"status":200,"content_type":"text/html","truncated":false,"url":"https://a.b/","text":"hi"}"#;
        assert_eq!(outcome(page), (String::from_utf8(page.to_vec()).unwrap(), 0));
        let (out, code) = outcome(br#"{"error":{"kind":"permission_denied","message":"web fetching is off"}}"#);
        assert_eq!(code, 1);
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["error"]["kind"], "permission_denied");
        assert_eq!(v["error"]["message"], "web fetching is off");
        let (out, _) = outcome(br#"{"error":{"kind":"timeout","message":"the fetch did not finish"}}"#);
        assert_eq!(serde_json::from_str::<Value>(&out).unwrap()["error"]["kind"], "timeout");
        assert_eq!(outcome(b"not json").1, 1);
    }
}
