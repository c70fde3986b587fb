//! What a command reads and writes: a shared input cursor (a `while read` loop and the commands
//! in it consume one stdin) and output sinks that two descriptors may share (`2>&1` keeps order).

use std::cell::RefCell;
use std::rc::Rc;

/// The most a pipe or a redirected file collects before the rest is dropped (and said so).
pub const PIPE_LIMIT: usize = 16 << 20;

#[derive(Default)]
pub struct Buf {
    pub data: Vec<u8>,
    pub limit: usize,
    /// Bytes dropped after the limit.
    pub dropped: usize,
}

pub type Sink = Rc<RefCell<Buf>>;

pub fn sink(limit: usize) -> Sink {
    Rc::new(RefCell::new(Buf { data: Vec::new(), limit, dropped: 0 }))
}

pub struct Input {
    pub data: Vec<u8>,
    pub pos: usize,
    /// Redirected from a file (`< f`): wc pads as for a regular file, not a pipe.
    pub from_file: bool,
}

pub type Source = Rc<RefCell<Input>>;

pub fn source(data: Vec<u8>) -> Source {
    Rc::new(RefCell::new(Input { data, pos: 0, from_file: false }))
}

pub fn file_source(data: Vec<u8>) -> Source {
    Rc::new(RefCell::new(Input { data, pos: 0, from_file: true }))
}

#[derive(Clone)]
pub struct Io {
    pub input: Source,
    pub out: Sink,
    pub err: Sink,
}

impl Io {
    pub fn new(input: Source, out: Sink, err: Sink) -> Io {
        Io { input, out, err }
    }

    pub fn write(&self, bytes: &[u8]) {
        put(&self.out, bytes);
    }

    pub fn print(&self, s: &str) {
        put(&self.out, s.as_bytes());
    }

    pub fn eprint(&self, s: &str) {
        put(&self.err, s.as_bytes());
    }

    /// `NAME: message` on stderr.
    pub fn error(&self, name: &str, msg: &str) {
        self.eprint(&format!("{}: {}\n", name, msg));
    }

    /// Everything left on stdin.
    pub fn read_all(&self) -> Vec<u8> {
        let mut i = self.input.borrow_mut();
        let rest = i.data[i.pos..].to_vec();
        i.pos = i.data.len();
        rest
    }

    /// The next line of stdin without its newline; None at the end.
    pub fn read_line(&self) -> Option<Vec<u8>> {
        let mut i = self.input.borrow_mut();
        if i.pos >= i.data.len() {
            return None;
        }
        let start = i.pos;
        let end = i.data[start..].iter().position(|&b| b == b'\n').map(|p| start + p);
        match end {
            Some(e) => {
                i.pos = e + 1;
                Some(i.data[start..e].to_vec())
            }
            None => {
                i.pos = i.data.len();
                Some(i.data[start..].to_vec())
            }
        }
    }
}

pub fn put(s: &Sink, bytes: &[u8]) {
    let mut b = s.borrow_mut();
    let room = b.limit.saturating_sub(b.data.len());
    if bytes.len() <= room {
        b.data.extend_from_slice(bytes);
    } else {
        b.data.extend_from_slice(&bytes[..room]);
        b.dropped += bytes.len() - room;
    }
}

pub fn take(s: &Sink) -> Vec<u8> {
    std::mem::take(&mut s.borrow_mut().data)
}
