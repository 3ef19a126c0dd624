//! The crate's top-level error: one variant per concern, each wrapping that module's error.

use std::path::PathBuf;

pub use crate::cert::ParseError;

/// Any error ccetrust reports.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Certificate, CSR or PKCS#7 input could not be read.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A path is not a regular file (a device, FIFO, socket, folder) or the file is
    /// larger than its kind allows; see [`crate::input`].
    #[error(transparent)]
    Input(crate::input::InputError),
    /// A file's content failed to parse; says which file.
    #[error("{}: {source}", path.display())]
    File {
        /// The file concerned.
        path: PathBuf,
        /// The error inside it.
        source: Box<Error>,
    },
    /// A keystore could not be read, written or changed.
    #[error(transparent)]
    Keystore(#[from] crate::keystore::KeystoreError),
    /// A live server's chain could not be collected (feature `fetch`).
    #[cfg(feature = "fetch")]
    #[error(transparent)]
    Fetch(#[from] crate::fetch::FetchError),
    /// A contact-center inventory file is malformed (line, column, what was expected).
    #[error(transparent)]
    Inventory(#[from] crate::cce::InventoryError),
    /// A usage error (bad argument, bad time string).
    #[error("{0}")]
    Usage(String),
    /// A document read as ccetrust's own JSON (an audit given to `diff`) is not one.
    #[error("{}: {reason}", path.display())]
    Document {
        /// The file concerned.
        path: PathBuf,
        /// What is wrong with it (not JSON at line and column, another schema, …).
        reason: String,
    },
}

impl Error {
    /// A short, stable machine name for the kind of error (`malformed`, `io`, …), used in
    /// `--json` error output.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Parse(ParseError::WrongKind { .. }) => "wrong_kind",
            Error::Parse(ParseError::Empty) => "empty",
            Error::Parse(_) => "malformed",
            Error::Io { .. } => "io",
            Error::Input(e) => e.kind(),
            Error::File { source, .. } => source.kind(),
            Error::Keystore(k) => k.kind(),
            #[cfg(feature = "fetch")]
            Error::Fetch(f) => f.kind(),
            Error::Usage(_) => "usage",
            Error::Inventory(_) => "inventory",
            Error::Document { .. } => "document",
        }
    }

    /// The byte offset the error concerns, when there is one.
    pub fn offset(&self) -> Option<usize> {
        match self {
            Error::Parse(p) => p.offset(),
            Error::File { source, .. } => source.offset(),
            Error::Keystore(k) => k.offset(),
            Error::Inventory(e) => Some(e.offset),
            _ => None,
        }
    }

    /// Attaches the file an error was found in.
    pub fn in_file(self, path: impl Into<PathBuf>) -> Error {
        Error::File {
            path: path.into(),
            source: Box::new(self),
        }
    }
}

impl From<crate::input::InputError> for Error {
    /// An operating-system error stays [`Error::Io`] (Python maps it to `OSError`); a
    /// refused file type or size is [`Error::Input`].
    fn from(e: crate::input::InputError) -> Error {
        match e.problem {
            crate::input::InputProblem::Io(source) => Error::Io {
                path: e.path,
                source,
            },
            _ => Error::Input(e),
        }
    }
}

/// Reads a whole certificate, CSR, PKCS#7 or key file (bounded: see [`crate::input`]),
/// naming it in the error.
pub fn read_file(path: &std::path::Path) -> Result<Vec<u8>, Error> {
    read_file_as(path, crate::input::InputKind::Certificate)
}

/// Reads a whole file of `kind`, refusing what is not a regular file and what is over the
/// kind's size limit, naming the file in the error.
pub fn read_file_as(
    path: &std::path::Path,
    kind: crate::input::InputKind,
) -> Result<Vec<u8>, Error> {
    Ok(crate::input::read(path, kind)?)
}
