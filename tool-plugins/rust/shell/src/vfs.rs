//! The workspace as the shell sees it: `/` is the workspace root, paths are resolved against the
//! shell's current directory and normalised lexically (`..` stops at the root, as in a chroot).
//! The host sandbox confines every access again; this layer only maps names and words errors the
//! way GNU tools do, and turns a refused write into the message that says why.

use std::fs;
use std::io;
use std::path::PathBuf;

pub struct Vfs {
    /// Where the workspace is: guest `/` in the sandbox, a test directory on the host.
    root: PathBuf,
    /// The current directory, absolute in shell terms (`/`, `/src`).
    pub cwd: String,
    /// The call may only read (the sandbox said so, or refused a write): every write is refused
    /// without trying.
    pub read_only: bool,
}

/// Normalises `p` against `cwd` to an absolute shell path (`/a/b`); `..` at the root stays there.
pub fn absolute(cwd: &str, p: &str) -> String {
    let joined = if p.starts_with('/') { p.to_string() } else { format!("{}/{}", cwd, p) };
    let mut parts: Vec<&str> = Vec::new();
    for c in joined.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    format!("/{}", parts.join("/"))
}

/// The message GNU tools print for an I/O error (without the path).
pub fn error_text(e: &io::Error) -> String {
    #[cfg(target_os = "wasi")]
    {
        // WASI errno values; GraalWasm reports a missing (or refused) path as EIO.
        match e.raw_os_error() {
            Some(44) | Some(29) => return "No such file or directory".into(),
            Some(2) | Some(63) | Some(76) => return "Permission denied".into(),
            Some(31) => return "Is a directory".into(),
            Some(54) => return "Not a directory".into(),
            Some(20) => return "File exists".into(),
            Some(55) => return "Directory not empty".into(),
            Some(69) => return "Read-only file system".into(),
            _ => {}
        }
    }
    #[cfg(not(target_os = "wasi"))]
    {
        match e.raw_os_error() {
            Some(21) => return "Is a directory".into(),
            Some(20) => return "Not a directory".into(),
            Some(39) => return "Directory not empty".into(),
            Some(30) => return "Read-only file system".into(),
            _ => {}
        }
    }
    match e.kind() {
        io::ErrorKind::NotFound => "No such file or directory".into(),
        io::ErrorKind::PermissionDenied => "Permission denied".into(),
        io::ErrorKind::AlreadyExists => "File exists".into(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        }
    }
}

/// Whether an error on a write means the sandbox refused it (EACCES, EPERM, ENOTCAPABLE, EROFS).
fn is_refusal(e: &io::Error) -> bool {
    if e.kind() == io::ErrorKind::PermissionDenied {
        return true;
    }
    #[cfg(target_os = "wasi")]
    {
        matches!(e.raw_os_error(), Some(2) | Some(63) | Some(76) | Some(69))
    }
    #[cfg(not(target_os = "wasi"))]
    {
        matches!(e.raw_os_error(), Some(1) | Some(13) | Some(30))
    }
}

/// What a command says when it may not write: GNU's wording plus why.
pub const READ_ONLY: &str =
    "Permission denied (the shell has read-only access to the workspace; writing needs the write grant)";

pub struct Meta {
    pub is_dir: bool,
    pub is_file: bool,
    pub is_symlink: bool,
    pub len: u64,
    pub modified: Option<std::time::SystemTime>,
}

impl Vfs {
    pub fn new(root: PathBuf, cwd: String) -> Vfs {
        Vfs { root, cwd, read_only: false }
    }

    pub fn abs(&self, p: &str) -> String {
        absolute(&self.cwd, p)
    }

    /// The std::fs path for a shell path.
    pub fn host(&self, p: &str) -> PathBuf {
        let a = self.abs(p);
        if a == "/" {
            self.root.clone()
        } else {
            self.root.join(&a[1..])
        }
    }

    pub fn meta(&self, p: &str) -> io::Result<Meta> {
        let h = self.host(p);
        let lm = fs::symlink_metadata(&h)?;
        let is_symlink = lm.file_type().is_symlink();
        let m = if is_symlink { fs::metadata(&h).unwrap_or(lm) } else { lm };
        Ok(Meta { is_dir: m.is_dir(), is_file: m.is_file(), is_symlink, len: m.len(), modified: m.modified().ok() })
    }

    pub fn exists(&self, p: &str) -> bool {
        self.meta(p).is_ok()
    }

    pub fn is_dir(&self, p: &str) -> bool {
        self.meta(p).map(|m| m.is_dir).unwrap_or(false)
    }

    pub fn read(&self, p: &str) -> Result<Vec<u8>, String> {
        if p == "/dev/null" {
            return Ok(Vec::new());
        }
        match self.meta(p) {
            Ok(m) if m.is_dir => return Err("Is a directory".into()),
            _ => {}
        }
        fs::read(self.host(p)).map_err(|e| error_text(&e))
    }

    /// Directory entries, sorted by name (byte order, as `LC_ALL=C`).
    pub fn list(&self, p: &str) -> Result<Vec<String>, String> {
        let rd = fs::read_dir(self.host(p)).map_err(|e| error_text(&e))?;
        let mut v: Vec<String> = rd.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().to_string()).collect();
        v.sort();
        Ok(v)
    }

    fn guard<T>(&mut self, r: io::Result<T>) -> Result<T, String> {
        match r {
            Ok(v) => Ok(v),
            Err(e) if is_refusal(&e) => {
                self.read_only = true;
                Err(READ_ONLY.to_string())
            }
            Err(e) => Err(error_text(&e)),
        }
    }

    fn check_writable(&self) -> Result<(), String> {
        if self.read_only {
            Err(READ_ONLY.to_string())
        } else {
            Ok(())
        }
    }

    pub fn write(&mut self, p: &str, data: &[u8], append: bool) -> Result<(), String> {
        if p == "/dev/null" {
            return Ok(());
        }
        self.check_writable()?;
        if self.is_dir(p) {
            return Err("Is a directory".into());
        }
        let h = self.host(p);
        let r = if append {
            fs::OpenOptions::new().create(true).append(true).open(&h).and_then(|mut f| io::Write::write_all(&mut f, data))
        } else {
            fs::write(&h, data)
        };
        self.guard(r)
    }

    pub fn mkdir(&mut self, p: &str) -> Result<(), String> {
        self.check_writable()?;
        let r = fs::create_dir(self.host(p));
        self.guard(r)
    }

    pub fn remove_file(&mut self, p: &str) -> Result<(), String> {
        self.check_writable()?;
        let r = fs::remove_file(self.host(p));
        self.guard(r)
    }

    pub fn remove_dir(&mut self, p: &str) -> Result<(), String> {
        self.check_writable()?;
        let r = fs::remove_dir(self.host(p));
        self.guard(r)
    }

    pub fn rename(&mut self, from: &str, to: &str) -> Result<(), String> {
        self.check_writable()?;
        let r = fs::rename(self.host(from), self.host(to));
        self.guard(r)
    }

    /// Sets a file's modification time to now (creating it if asked).
    pub fn touch(&mut self, p: &str, create: bool) -> Result<(), String> {
        self.check_writable()?;
        let h = self.host(p);
        if !self.exists(p) {
            if !create {
                return Ok(());
            }
            let r = fs::OpenOptions::new().create(true).write(true).open(&h).map(|_| ());
            return self.guard(r);
        }
        let r = set_mtime_now(&self.abs(p), &h);
        self.guard(r)
    }
}

/// Sets the modification time to now. Rust 1.63's std cannot, so the WASI call is made directly
/// (the workspace is preopened as fd 3).
#[cfg(target_os = "wasi")]
fn set_mtime_now(abs: &str, _host: &std::path::Path) -> io::Result<()> {
    #[link(wasm_import_module = "wasi_snapshot_preview1")]
    extern "C" {
        fn path_filestat_set_times(fd: u32, flags: u32, path: *const u8, len: usize, atim: u64, mtim: u64, fst: u16)
            -> u16;
    }
    const ATIM_NOW: u16 = 2;
    const MTIM_NOW: u16 = 8;
    let rel = if abs == "/" { "." } else { &abs[1..] };
    // SAFETY: the pointer and length describe a live str; the call only reads them.
    let errno = unsafe { path_filestat_set_times(3, 1, rel.as_ptr(), rel.len(), 0, 0, ATIM_NOW | MTIM_NOW) };
    if errno == 0 {
        Ok(())
    } else {
        Err(io::Error::from_raw_os_error(errno as i32))
    }
}

/// On the host (tests): rewrite the content, which updates the time.
#[cfg(not(target_os = "wasi"))]
fn set_mtime_now(_abs: &str, host: &std::path::Path) -> io::Result<()> {
    if fs::metadata(host)?.is_dir() {
        return Ok(());
    }
    let data = fs::read(host)?;
    fs::write(host, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_paths() {
        assert_eq!(absolute("/", "a/b"), "/a/b");
        assert_eq!(absolute("/src", "../x"), "/x");
        assert_eq!(absolute("/src", "../../../x"), "/x");
        assert_eq!(absolute("/src", "/abs/./y/"), "/abs/y");
        assert_eq!(absolute("/", "."), "/");
        assert_eq!(absolute("/a", ""), "/a");
    }
}
