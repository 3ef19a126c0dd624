//! What can go wrong with a keystore, in words an administrator can act on.

use std::path::PathBuf;

use super::Format;

/// A keystore error. [`KeystoreError::kind`] gives a stable machine name.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeystoreError {
    /// The integrity check (JKS/JCEKS trailer, PKCS#12 MAC) or a key's protection did not
    /// verify. `detail` says whether it is the password or the content, where that can
    /// be told apart.
    #[error("{detail}")]
    Integrity {
        /// What failed, e.g. "wrong password, or the file was modified".
        detail: String,
    },
    /// The bytes do not follow the format.
    #[error("malformed {format} keystore at byte {offset}: {detail}")]
    Malformed {
        /// The format being read.
        format: Format,
        /// Byte offset from the start of the file.
        offset: usize,
        /// What was expected and found.
        detail: String,
    },
    /// An algorithm, version or entry type ccetrust does not handle (named).
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A path is not a regular file or the file is over the keystore size limit; see
    /// [`crate::input`].
    #[error(transparent)]
    Input(crate::input::InputError),
    /// A key derivation asks for more iterations than keytool accepts, or the file's
    /// derivations together more than its budget: refused before any is run.
    #[error("{what}: {iterations} key-derivation iterations {}", if *total { format!("would take this file past its budget of {limit} in total (a hostile file must not keep ccetrust busy for minutes)") } else { format!("are more than the {limit} keytool accepts (keytool refuses it: \"iteration count too large\")") })]
    WorkLimit {
        /// Which derivation: the MAC, the encrypted contents at a byte offset, a key.
        what: String,
        /// The iterations it asks for.
        iterations: u64,
        /// The limit it is over.
        limit: u64,
        /// Whether the file's total budget (not the per-derivation limit) is what ran out.
        total: bool,
    },
    /// A password keytool cannot use (see `WriteOptions::allow_non_keytool_password`).
    #[error("{0}")]
    Password(String),
    /// An alias problem: missing, taken, colliding.
    #[error("alias '{alias}': {detail}")]
    Alias {
        /// The alias concerned.
        alias: String,
        /// What is wrong.
        detail: String,
    },
    /// The content is of another format than the one required.
    #[error("expected a {expected} keystore, found {found}")]
    WrongFormat {
        /// What was asked for.
        expected: Format,
        /// What the content is.
        found: Format,
    },
    /// The content is no keystore at all.
    #[error("not a keystore: {0}")]
    UnknownFormat(String),
    /// A private key is still encrypted and must be unlocked before this operation.
    #[error("alias '{alias}': the private key is still encrypted: give its key password")]
    Locked {
        /// The entry concerned.
        alias: String,
    },
    /// Writing the keystore did not produce what was meant; nothing was replaced.
    #[error("verification after writing failed: {0}")]
    Verify(String),
    /// A bad argument.
    #[error("{0}")]
    Usage(String),
    /// The store changed on disk between the moment it was read and the moment it was
    /// to be replaced (another program wrote it: keytool takes no lock). Nothing was
    /// written; read the store again and redo the change.
    #[error("{}: changed on disk since it was read ({detail}); nothing was written: read it again and redo the change", path.display())]
    ConcurrentModification {
        /// The store file.
        path: PathBuf,
        /// What differs (length, modification time, content).
        detail: String,
    },
    /// The store is read-only (no write permission for this user, or no write bit / the
    /// read-only attribute at all) and replacing it was not asked for (`force`).
    #[error("{}: {detail}; not replaced (use --force, or force=True, to replace it anyway)", path.display())]
    ReadOnly {
        /// The store file.
        path: PathBuf,
        /// Why it counts as read-only.
        detail: String,
    },
    /// The new file cannot be given the store's owner or group (only root can give a file
    /// away), and replacing it anyway was not asked for (`force`).
    #[error("{}: {detail}; not replaced (run as the store's owner or root, or use --force / force=True to let the new file belong to this user)", path.display())]
    Ownership {
        /// The store file.
        path: PathBuf,
        /// Whose file it is and who is writing.
        detail: String,
    },
    /// Another writer holds the store's lock and did not release it in time.
    #[error("{}: another writer holds the lock {} (waited {waited_secs} s); try again later", path.display(), lock.display())]
    Busy {
        /// The store file.
        path: PathBuf,
        /// The lock file.
        lock: PathBuf,
        /// How long this writer waited.
        waited_secs: u64,
    },
    /// The same error, about one entry.
    #[error("alias '{alias}': {source}")]
    InEntry {
        /// The entry concerned.
        alias: String,
        /// The error.
        source: Box<KeystoreError>,
    },
}

impl KeystoreError {
    /// A stable machine name: `integrity`, `malformed`, `unsupported`, `io`, `not_a_file`,
    /// `too_large`, `work_limit`, `password`, `alias`, `wrong_format`, `locked`, `verify`,
    /// `usage`, `concurrent_modification`, `read_only`, `ownership`, `busy`.
    pub fn kind(&self) -> &'static str {
        match self {
            KeystoreError::Integrity { .. } => "integrity",
            KeystoreError::Malformed { .. } => "malformed",
            KeystoreError::Unsupported(_) => "unsupported",
            KeystoreError::Io { .. } => "io",
            KeystoreError::Input(e) => e.kind(),
            KeystoreError::WorkLimit { .. } => "work_limit",
            KeystoreError::Password(_) => "password",
            KeystoreError::Alias { .. } => "alias",
            KeystoreError::WrongFormat { .. } => "wrong_format",
            KeystoreError::UnknownFormat(_) => "malformed",
            KeystoreError::Locked { .. } => "locked",
            KeystoreError::Verify(_) => "verify",
            KeystoreError::Usage(_) => "usage",
            KeystoreError::ConcurrentModification { .. } => "concurrent_modification",
            KeystoreError::ReadOnly { .. } => "read_only",
            KeystoreError::Ownership { .. } => "ownership",
            KeystoreError::Busy { .. } => "busy",
            KeystoreError::InEntry { source, .. } => source.kind(),
        }
    }

    /// The byte offset the error concerns, when there is one.
    pub fn offset(&self) -> Option<usize> {
        match self {
            KeystoreError::Malformed { offset, .. } => Some(*offset),
            KeystoreError::InEntry { source, .. } => source.offset(),
            _ => None,
        }
    }

    pub(crate) fn integrity(detail: impl Into<String>) -> Self {
        KeystoreError::Integrity {
            detail: detail.into(),
        }
    }

    pub(crate) fn malformed(format: Format, offset: usize, detail: impl Into<String>) -> Self {
        KeystoreError::Malformed {
            format,
            offset,
            detail: detail.into(),
        }
    }

    /// Attaches the alias of the entry the error concerns (once).
    pub(crate) fn with_alias(self, alias: &str) -> Self {
        match self {
            e @ (KeystoreError::InEntry { .. }
            | KeystoreError::Alias { .. }
            | KeystoreError::Locked { .. }) => e,
            e => KeystoreError::InEntry {
                alias: alias.to_string(),
                source: Box::new(e),
            },
        }
    }
}

impl From<crate::input::InputError> for KeystoreError {
    /// An operating-system error stays [`KeystoreError::Io`]; a refused file type or size
    /// is [`KeystoreError::Input`].
    fn from(e: crate::input::InputError) -> KeystoreError {
        match e.problem {
            crate::input::InputProblem::Io(source) => KeystoreError::Io {
                path: e.path,
                source,
            },
            _ => KeystoreError::Input(e),
        }
    }
}

/// The message for a keyed-digest or MAC failure when nothing tells the two causes apart.
pub(crate) const WRONG_PASSWORD_OR_MODIFIED: &str =
    "integrity check failed: wrong password, or the file was modified";
