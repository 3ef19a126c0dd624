//! The advisory lock every ccetrust writer takes on a store for its whole
//! read–modify–write, so that two writers never both start from the same content.
//!
//! The lock is held on a sibling file, `.NAME.ccetrust.lock`, not on the store itself: a
//! write ends with a rename that puts a new file under the store's name, so a lock on the
//! file that was read would no longer exclude a writer that opens the new one. The sibling
//! is never renamed or removed (removing it would let two writers lock two different
//! files); it is empty and stays beside the store. `std::fs::File::try_lock` is `flock`
//! on Unix and `LockFileEx` on Windows, taken on the lock file only, so nobody is kept
//! from reading the store. keytool takes no lock: what protects its changes is the check
//! of the store's fingerprint just before the rename.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::io;
use crate::keystore::KeystoreError;

/// A held lock; released when dropped (the file is closed).
#[derive(Debug)]
pub(crate) struct StoreLock {
    _file: File,
}

/// The lock file of the store `name` in `dir`.
pub(crate) fn lock_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!(".{name}.ccetrust.lock"))
}

impl StoreLock {
    /// Takes the lock of `store` (whose folder and file name are `dir` and `name`),
    /// waiting up to `timeout`. `Ok(None)` when the folder does not let this user create
    /// the lock file: nothing can be written there either, and the write fails with the
    /// operating system's own error at its temporary file.
    pub(crate) fn acquire(
        store: &Path,
        dir: &Path,
        name: &str,
        timeout: Duration,
    ) -> Result<Option<StoreLock>, KeystoreError> {
        let path = lock_path(dir, name);
        let Some(file) = open_lock_file(&path)? else {
            return Ok(None);
        };
        let start = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Some(StoreLock { _file: file })),
                Err(TryLockError::WouldBlock) if start.elapsed() < timeout => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(KeystoreError::Busy {
                        path: store.to_path_buf(),
                        lock: path,
                        waited_secs: timeout.as_secs(),
                    })
                }
                Err(TryLockError::Error(e)) => return Err(io(&path)(e)),
            }
        }
    }
}

/// Opens (creating if needed) the lock file. A lock "file" that is a link or not a
/// regular file is refused: in a folder others may write, it could be a trap.
fn open_lock_file(path: &Path) -> Result<Option<File>, KeystoreError> {
    let not_plain = || {
        KeystoreError::Usage(format!(
            "{} is not a plain file (a link or a folder?): remove it; ccetrust keeps its lock there",
            path.display()
        ))
    };
    if let Ok(m) = fs::symlink_metadata(path) {
        if !m.file_type().is_file() {
            return Err(not_plain());
        }
    }
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o644);
    }
    let file = match options.open(path) {
        Ok(f) => f,
        // Another user's lock file: a read-only handle can be locked as well.
        Err(e) if e.kind() == ErrorKind::PermissionDenied && path.exists() => {
            File::open(path).map_err(io(path))?
        }
        Err(e)
            if matches!(
                e.kind(),
                ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem
            ) =>
        {
            return Ok(None)
        }
        Err(e) => return Err(io(path)(e)),
    };
    let link = fs::symlink_metadata(path).map_err(io(path))?;
    if !link.file_type().is_file() {
        return Err(not_plain());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let opened = file.metadata().map_err(io(path))?;
        if (opened.dev(), opened.ino()) != (link.dev(), link.ino()) {
            return Err(not_plain());
        }
    }
    Ok(Some(file))
}
