//! Bounded input: every file ccetrust reads goes through [`read`], so a path that names a
//! device, a FIFO or a socket (`/dev/zero`, `mkfifo`, a Unix socket) is refused instead of
//! read forever, and a file is never read past the limit of its kind.
//!
//! The file is opened first and its type checked on the opened handle (no stat-then-open
//! race: what is checked is what is read). On Unix it is opened with `O_NONBLOCK`, so
//! opening a FIFO nobody writes to returns at once instead of waiting for a writer; a
//! socket cannot be opened at all (`ENXIO`) and is named as such. On Windows the handle's
//! metadata must say `is_file()` (a named pipe or a device does not). Reads stop at the
//! limit plus one byte (`Read::take`), so a file that grows while it is read, or a device
//! that slipped through, still costs at most the limit. Standard input is never implied by
//! a path: `-` is read with [`read_stdin`], where the caller asks for it.

use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// What a file is read as; each kind has its size limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputKind {
    /// A certificate, CSR, PKCS#7 bundle or private key (PEM or DER): 16 MiB.
    Certificate,
    /// A contact-center inventory (TOML): 16 MiB.
    Inventory,
    /// A keystore (JKS, JCEKS, PKCS#12, PEM bundle): 256 MiB.
    Keystore,
    /// A password file (or CVP's `security.properties`): 1 MiB.
    Password,
    /// A conformance test suite (x509-limbo's JSON, about 40 MiB today): 1 GiB.
    TestSuite,
    /// An audit document (`ccetrust audit --json`, read by `ccetrust diff`): 256 MiB.
    AuditJson,
}

const MIB: u64 = 1024 * 1024;

impl InputKind {
    /// The largest file of this kind ccetrust reads, in bytes.
    pub const fn limit(self) -> u64 {
        match self {
            InputKind::Certificate | InputKind::Inventory => 16 * MIB,
            InputKind::Keystore | InputKind::AuditJson => 256 * MIB,
            InputKind::Password => MIB,
            InputKind::TestSuite => 1024 * MIB,
        }
    }

    /// What the file was read as, for messages.
    pub const fn describe(self) -> &'static str {
        match self {
            InputKind::Certificate => "certificate, CSR or PKCS#7 file",
            InputKind::Inventory => "inventory file",
            InputKind::Keystore => "keystore",
            InputKind::Password => "password file",
            InputKind::TestSuite => "test suite document",
            InputKind::AuditJson => "audit document",
        }
    }
}

/// Why a file was not read.
#[derive(Debug)]
#[non_exhaustive]
pub enum InputProblem {
    /// The path names something other than a regular file (`what`: "a FIFO", …).
    NotAFile {
        /// What the path is.
        what: &'static str,
    },
    /// The file is larger than its kind allows.
    TooLarge {
        /// What it was read as.
        kind: InputKind,
    },
    /// The operating system refused (not found, permission, …).
    Io(std::io::Error),
}

/// A file that could not be read, and why. [`InputError::kind`] is a stable machine name.
#[derive(Debug)]
pub struct InputError {
    /// The file concerned (`-` for standard input).
    pub path: PathBuf,
    /// What went wrong.
    pub problem: InputProblem,
}

impl InputError {
    /// `not_a_file`, `too_large` or `io`.
    pub fn kind(&self) -> &'static str {
        match self.problem {
            InputProblem::NotAFile { .. } => "not_a_file",
            InputProblem::TooLarge { .. } => "too_large",
            InputProblem::Io(_) => "io",
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.path.display();
        match &self.problem {
            InputProblem::NotAFile { what } => write!(
                f,
                "{p}: is {what}, not a regular file (give a file; `-` reads standard input where a command takes it)"
            ),
            InputProblem::TooLarge { kind } => write!(
                f,
                "{p}: larger than the {} MiB a {} may be (limit {} bytes)",
                kind.limit() / MIB,
                kind.describe(),
                kind.limit()
            ),
            InputProblem::Io(e) => write!(f, "{p}: {e}"),
        }
    }
}

impl std::error::Error for InputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.problem {
            InputProblem::Io(e) => Some(e),
            _ => None,
        }
    }
}

/// Reads a whole regular file of `kind`, refusing other file types and files over the
/// kind's limit.
pub fn read(path: &Path, kind: InputKind) -> Result<Vec<u8>, InputError> {
    read_with_metadata(path, kind).map(|(bytes, _)| bytes)
}

/// [`read`], with the metadata of the handle the bytes were read from (a writer compares
/// them with the file on disk before it replaces it).
pub fn read_with_metadata(
    path: &Path,
    kind: InputKind,
) -> Result<(Vec<u8>, std::fs::Metadata), InputError> {
    let err = |problem| InputError {
        path: path.to_path_buf(),
        problem,
    };
    let file = open(path).map_err(|e| err(classify_open_error(path, e)))?;
    let meta = file.metadata().map_err(|e| err(InputProblem::Io(e)))?;
    if !meta.is_file() {
        return Err(err(InputProblem::NotAFile {
            what: describe_type(&meta.file_type()),
        }));
    }
    if meta.len() > kind.limit() {
        // A sparse or huge file is refused before a byte is read.
        return Err(err(InputProblem::TooLarge { kind }));
    }
    let cap = usize::try_from(meta.len()).unwrap_or(0);
    let bytes = read_capped(file, kind, cap).map_err(err)?;
    Ok((bytes, meta))
}

/// Reads standard input (what `-` means where a command accepts it), up to `kind`'s limit.
pub fn read_stdin(kind: InputKind) -> Result<Vec<u8>, InputError> {
    read_capped(std::io::stdin().lock(), kind, 0).map_err(|problem| InputError {
        path: PathBuf::from("-"),
        problem,
    })
}

fn read_capped(r: impl Read, kind: InputKind, hint: usize) -> Result<Vec<u8>, InputProblem> {
    let mut buf = Vec::with_capacity(hint);
    r.take(kind.limit() + 1)
        .read_to_end(&mut buf)
        .map_err(InputProblem::Io)?;
    if buf.len() as u64 > kind.limit() {
        return Err(InputProblem::TooLarge { kind });
    }
    Ok(buf)
}

#[cfg(unix)]
fn open(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    // Non-blocking: opening a FIFO without a writer must not wait for one. Regular files
    // ignore the flag.
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

/// A socket cannot be opened (`ENXIO` on Unix): say what the path is rather than
/// "no such device or address".
fn classify_open_error(path: &Path, e: std::io::Error) -> InputProblem {
    #[cfg(unix)]
    if e.raw_os_error() == Some(libc::ENXIO) {
        if let Ok(m) = std::fs::metadata(path) {
            if !m.is_file() {
                return InputProblem::NotAFile {
                    what: describe_type(&m.file_type()),
                };
            }
        }
    }
    let _ = path;
    InputProblem::Io(e)
}

fn describe_type(t: &std::fs::FileType) -> &'static str {
    if t.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
    }
    "not a regular file (a device, pipe or other special file)"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_is_read_whole() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a.pem");
        std::fs::write(&p, b"hello").unwrap();
        assert_eq!(read(&p, InputKind::Certificate).unwrap(), b"hello");
    }

    #[test]
    fn a_folder_is_not_a_file() {
        let d = tempfile::tempdir().unwrap();
        let e = read(d.path(), InputKind::Certificate).unwrap_err();
        assert_eq!(e.kind(), "not_a_file", "{e}");
    }

    #[test]
    fn a_missing_file_is_io() {
        let e = read(Path::new("/nonexistent/x.pem"), InputKind::Certificate).unwrap_err();
        assert_eq!(e.kind(), "io");
        assert!(e.to_string().contains("/nonexistent/x.pem"), "{e}");
    }

    #[test]
    fn limits_by_kind() {
        // The limits the README states.
        assert_eq!(InputKind::Certificate.limit(), 16 << 20);
        assert_eq!(InputKind::Inventory.limit(), 16 << 20);
        assert_eq!(InputKind::Keystore.limit(), 256 << 20);
        assert_eq!(InputKind::Password.limit(), 1 << 20);
    }
}
