//! Writing a keystore to disk so that nothing is ever lost: neither the store, nor what it
//! was (mode, owner, group, link), nor another writer's change.
//!
//! A read–modify–write goes through a [`StoreFile`]: [`StoreFile::open`] takes the store's
//! advisory lock (a sibling `.NAME.ccetrust.lock`, see `write/lock.rs` for why not the store
//! itself), removes what killed runs left behind, and reads the content with its
//! [`Fingerprint`] (length, modification time, SHA-256); [`StoreFile::save`] then, still
//! under the lock:
//!
//! 1. refuses a read-only store unless `force`, and a format change unless asked for;
//! 2. checks that the file on disk is still the one read (keytool takes no lock, so this is
//!    what protects its changes): if not, nothing is written
//!    ([`KeystoreError::ConcurrentModification`]);
//! 3. writes the backup (`NAME.YYYYMMDDTHHMMSSZ.bak`, see [`backup_name`]) the same safe way;
//! 4. writes the new content to an owner-only temporary file in the target's folder, flushes
//!    it, reads it back and compares every entry, gives it the store's mode, owner and group;
//! 5. checks the fingerprint once more and renames the temporary file over the store.
//!
//! A store that is a symbolic link is written where the link points; the link stays. A
//! process killed at any point leaves the old file or the new one, whole, and at most a
//! temporary file that the next write removes. Writing a format other than the file's own
//! is refused unless a conversion was asked for: opening CVP's JCEKS as another type and
//! saving it is a known way to lose it.

mod backup;
mod lock;
mod replace;

use std::fs::{self, Metadata};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};

use super::detect::{sniff, Encoding};
use super::{EntryKind, Format, Keystore, KeystoreError, Password, WriteOptions};
use crate::Timestamp;
pub use backup::backup_name;
use replace::Temp;

use super::pbe::random;

/// How long a writer waits for another to release a store's lock, by default.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(60);

/// How [`save`] and [`StoreFile::save`] write.
#[derive(Debug, Clone)]
pub struct SaveOptions {
    /// Key protection and PKCS#12 algorithms.
    pub write: WriteOptions,
    /// Keep a copy of the file being replaced (`NAME.YYYYMMDDTHHMMSSZ.bak`). Default: yes.
    pub backup: bool,
    /// Allow replacing a file of another format (what `convert` does). Default: no.
    pub allow_format_change: bool,
    /// Replace a read-only store, or one whose owner this user cannot keep. Default: no.
    pub force: bool,
    /// How long to wait for another writer's lock. Default: [`DEFAULT_LOCK_TIMEOUT`].
    pub lock_timeout: Duration,
    /// For [`save`]: the fingerprint of the content the change was made from (what
    /// [`read_store`] returned); the store is replaced only if it is still that content.
    /// `None`: replace whatever is there (a store built from scratch).
    pub expect: Option<Fingerprint>,
}

impl Default for SaveOptions {
    fn default() -> Self {
        SaveOptions {
            write: WriteOptions::default(),
            backup: true,
            allow_format_change: false,
            force: false,
            lock_timeout: DEFAULT_LOCK_TIMEOUT,
            expect: None,
        }
    }
}

/// What [`save`] did.
#[derive(Debug, Clone)]
pub struct SaveReport {
    /// The file written (the path given; through a link, the link's target was replaced).
    pub path: PathBuf,
    /// The backup of the previous content, if one was made.
    pub backup: Option<PathBuf>,
    /// Size of the new file.
    pub bytes: usize,
    /// The fingerprint of the file as written, to check the next change against.
    pub fingerprint: Fingerprint,
}

/// What a store file was when it was read: enough to tell, just before replacing it,
/// whether anybody changed it since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fingerprint {
    /// There was no file.
    Missing,
    /// A file of this length, modification time and SHA-256.
    File {
        /// Length in bytes.
        len: u64,
        /// Last modification, where the platform records it.
        modified: Option<SystemTime>,
        /// SHA-256 of the content.
        sha256: [u8; 32],
    },
}

impl Fingerprint {
    fn of(content: &[u8], meta: &Metadata) -> Fingerprint {
        Fingerprint::File {
            len: meta.len(),
            modified: meta.modified().ok(),
            sha256: Sha256::digest(content).into(),
        }
    }

    /// Why `now` is not `self`, in words.
    fn difference(&self, now: &Fingerprint) -> String {
        match (self, now) {
            (Fingerprint::Missing, _) => "it did not exist, now it does".into(),
            (_, Fingerprint::Missing) => "it has been removed".into(),
            (
                Fingerprint::File {
                    len: a,
                    modified: ma,
                    ..
                },
                Fingerprint::File {
                    len: b,
                    modified: mb,
                    ..
                },
            ) => {
                if a != b {
                    format!("{a} bytes when read, {b} now")
                } else if ma != mb {
                    format!(
                        "modified at {} when read, at {} now",
                        show_time(*ma),
                        show_time(*mb)
                    )
                } else {
                    "its content differs (same length and time)".into()
                }
            }
        }
    }
}

fn show_time(t: Option<SystemTime>) -> String {
    t.and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map(|d| {
            format!(
                "{}.{:09}",
                Timestamp::from_unix(d.as_secs() as i64).to_rfc3339(),
                d.subsec_nanos()
            )
        })
        .unwrap_or_else(|| "an unknown time".into())
}

/// An I/O error on the hidden temporary or lock file beside a store names the store, which
/// is what the user asked to change (`.cacerts.ccetrust-….tmp` means nothing to them); the
/// hidden file is said after the cause.
fn on_target(store: &Path, e: KeystoreError) -> KeystoreError {
    match e {
        KeystoreError::Io { path, source } if path != store && is_helper_file(&path) => {
            let what = if path.to_string_lossy().ends_with(".lock") {
                "its lock file"
            } else {
                "its temporary copy"
            };
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            KeystoreError::Io {
                path: store.to_path_buf(),
                source: std::io::Error::new(
                    source.kind(),
                    format!("{source} (writing {what}, {name}, in the same folder)"),
                ),
            }
        }
        e => e,
    }
}

/// Whether `path` is one of the hidden files ccetrust makes beside a store.
fn is_helper_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.starts_with('.')
        && (name.ends_with(".ccetrust.lock")
            || (name.contains(".ccetrust-") && name.ends_with(".tmp")))
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> KeystoreError + '_ {
    move |source| KeystoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The folder and file name of `path`.
fn split(path: &Path) -> (PathBuf, String) {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "keystore".into());
    (dir, name)
}

/// The file a write to `path` replaces: `path` itself, or the file a symbolic link at
/// `path` points to (so the link stays a link).
fn resolve(path: &Path) -> Result<PathBuf, KeystoreError> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => fs::canonicalize(path).map_err(|e| {
            if e.kind() == ErrorKind::NotFound {
                KeystoreError::Usage(format!(
                    "{} is a link to a file that does not exist: create the target or remove the link",
                    path.display()
                ))
            } else {
                io(path)(e)
            }
        }),
        _ => Ok(path.to_path_buf()),
    }
}

/// A file's content and metadata, as read from one open handle.
type Content = (Vec<u8>, Metadata);

/// Reads `target` with its metadata and fingerprint, from one open handle.
fn read_current(target: &Path) -> Result<(Option<Content>, Fingerprint), KeystoreError> {
    // Opened without blocking, its type checked on the handle, read under the keystore limit.
    match crate::input::read_with_metadata(target, crate::input::InputKind::Keystore) {
        Ok((bytes, meta)) => {
            let fp = Fingerprint::of(&bytes, &meta);
            Ok((Some((bytes, meta)), fp))
        }
        Err(e) if matches!(&e.problem, crate::input::InputProblem::Io(io) if io.kind() == ErrorKind::NotFound) => {
            Ok((None, Fingerprint::Missing))
        }
        Err(e) => Err(e.into()),
    }
}

/// Reads a store file without locking it (through a link: its target), with the
/// fingerprint to give [`SaveOptions::expect`] when the change is saved.
pub fn read_store(path: &Path) -> Result<(Vec<u8>, Fingerprint), KeystoreError> {
    let target = resolve(path)?;
    match read_current(&target)? {
        (Some((bytes, _)), fp) => Ok((bytes, fp)),
        (None, _) => Err(missing(path)),
    }
}

/// The operating system's own error for a file that is not there (errno kept, so Python
/// raises `FileNotFoundError`).
fn missing(path: &Path) -> KeystoreError {
    match fs::metadata(path) {
        Err(e) => io(path)(e),
        Ok(_) => io(path)(std::io::Error::from(ErrorKind::NotFound)),
    }
}

/// A store opened for a read–modify–write: holds its lock until saved or dropped.
#[derive(Debug)]
pub struct StoreFile {
    path: PathBuf,
    target: PathBuf,
    dir: PathBuf,
    name: String,
    current: Option<Content>,
    read: Fingerprint,
    _lock: Option<lock::StoreLock>,
}

impl StoreFile {
    /// Locks the store at `path` (waiting up to `lock_timeout` for another writer),
    /// removes temporary files a killed run left, and reads it (a missing file is an
    /// empty start, for `import` to create).
    pub fn open(path: &Path, lock_timeout: Duration) -> Result<StoreFile, KeystoreError> {
        Self::open_steps(path, lock_timeout).map_err(|e| on_target(path, e))
    }

    fn open_steps(path: &Path, lock_timeout: Duration) -> Result<StoreFile, KeystoreError> {
        let target = resolve(path)?;
        let (dir, name) = split(&target);
        let lock = lock::StoreLock::acquire(path, &dir, &name, lock_timeout)?;
        if lock.is_some() {
            replace::remove_leftovers(&dir, &name);
        }
        let (current, read) = read_current(&target)?;
        Ok(StoreFile {
            path: path.to_path_buf(),
            target,
            dir,
            name,
            current,
            read,
            _lock: lock,
        })
    }

    /// The content read, `None` if there was no file.
    pub fn content(&self) -> Option<&[u8]> {
        self.current.as_ref().map(|(b, _)| b.as_slice())
    }

    /// The fingerprint of what was read.
    pub fn fingerprint(&self) -> &Fingerprint {
        &self.read
    }

    /// The path given to [`StoreFile::open`].
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Parses the content read with the store password; `None` if there was no file.
    pub fn load(&self, store_password: &Password) -> Result<Option<Keystore>, KeystoreError> {
        self.content()
            .map(|b| Keystore::from_bytes(b, store_password))
            .transpose()
    }

    /// Parses the content read with the store password; the operating system's "not
    /// found" error if there was no file.
    pub fn load_existing(&self, store_password: &Password) -> Result<Keystore, KeystoreError> {
        match self.content() {
            Some(b) => Keystore::from_bytes(b, store_password),
            None => Err(missing(&self.path)),
        }
    }

    /// Replaces the store with `ks` (see the module documentation for the steps). Fails
    /// with [`KeystoreError::ConcurrentModification`] if the file changed since it was
    /// read, and if `options.expect` is set, unless what was read is that content.
    pub fn save(
        self,
        ks: &Keystore,
        store_password: &Password,
        options: &SaveOptions,
    ) -> Result<SaveReport, KeystoreError> {
        let target = self.path.clone();
        self.save_steps(ks, store_password, options)
            .map_err(|e| on_target(&target, e))
    }

    fn save_steps(
        self,
        ks: &Keystore,
        store_password: &Password,
        options: &SaveOptions,
    ) -> Result<SaveReport, KeystoreError> {
        if let Some(expected) = &options.expect {
            self.unchanged_since(expected, &self.read)?;
        }
        if let Some((old, meta)) = &self.current {
            if !options.allow_format_change {
                check_same_format(&self.path, old, ks.format)?;
            }
            replace::check_writable(&self.target, meta, options.force)?;
        }
        let bytes = ks.to_bytes(store_password, &options.write)?;
        self.still_as_read()?;
        let backup = match (&self.current, options.backup) {
            (Some((old, meta)), true) => Some(backup::backup_file(
                &self.dir,
                &self.name,
                old,
                meta,
                options.force,
                Timestamp::now(),
            )?),
            _ => None,
        };
        let written = self.write_new(&bytes, ks, store_password, options);
        let written = written.and_then(|tmp| {
            self.still_as_read()?;
            replace::commit(tmp, &self.target)
        });
        if let Err(e) = written {
            // Nothing was replaced: the backup of an unchanged store is not needed.
            if let Some(b) = &backup {
                let _ = fs::remove_file(b);
            }
            return Err(e);
        }
        let fingerprint = match read_current(&self.target) {
            Ok((_, fp)) => fp,
            Err(_) => Fingerprint::Missing,
        };
        Ok(SaveReport {
            path: self.path.clone(),
            backup,
            bytes: bytes.len(),
            fingerprint,
        })
    }

    /// The temporary file with the new content, verified and with the store's metadata.
    fn write_new(
        &self,
        bytes: &[u8],
        ks: &Keystore,
        store_password: &Password,
        options: &SaveOptions,
    ) -> Result<Temp, KeystoreError> {
        let mut tmp = Temp::file(&self.dir, &self.name)?;
        tmp.write_synced(bytes)?;
        verify(tmp.path(), bytes, ks, store_password, options)?;
        match &self.current {
            Some((_, meta)) => tmp.keep_metadata(&self.target, meta, options.force)?,
            None => new_file_mode(&mut tmp, ks)?,
        }
        Ok(tmp)
    }

    fn still_as_read(&self) -> Result<(), KeystoreError> {
        let (_, now) = read_current(&self.target)?;
        self.unchanged_since(&self.read, &now)
    }

    fn unchanged_since(&self, then: &Fingerprint, now: &Fingerprint) -> Result<(), KeystoreError> {
        if then == now {
            return Ok(());
        }
        Err(KeystoreError::ConcurrentModification {
            path: self.path.clone(),
            detail: then.difference(now),
        })
    }
}

/// A store created by ccetrust: owner-only (0600) when it holds a private or secret key,
/// readable by all (0644) when it holds only trusted certificates, as a trust store must
/// be for the services that read it.
fn new_file_mode(tmp: &mut Temp, ks: &Keystore) -> Result<(), KeystoreError> {
    let secret = ks
        .entries
        .iter()
        .any(|e| !matches!(e.kind, EntryKind::TrustedCert(_)));
    set_mode(tmp, if secret { 0o600 } else { 0o644 })
}

/// Unix: sets the permission bits of a new file; elsewhere the folder's ACL applies.
fn set_mode(tmp: &Temp, mode: u32) -> Result<(), KeystoreError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(tmp.path(), fs::Permissions::from_mode(mode))
            .map_err(io(tmp.path()))?;
    }
    #[cfg(not(unix))]
    let _ = (tmp, mode);
    Ok(())
}

/// Writes `ks` to `path` safely, as one read–modify–write (see the module documentation):
/// for a store built from what [`read_store`] returned, set `options.expect` to its
/// fingerprint so a change made meanwhile is not overwritten.
pub fn save(
    path: &Path,
    ks: &Keystore,
    store_password: &Password,
    options: &SaveOptions,
) -> Result<SaveReport, KeystoreError> {
    StoreFile::open(path, options.lock_timeout)?.save(ks, store_password, options)
}

/// Backs up the store file at `path` (under its lock) or, for a folder store, the folder,
/// named for the time `at`; returns the backup's path. See [`backup_name`] for the names.
pub fn backup_store(
    path: &Path,
    at: Timestamp,
    lock_timeout: Duration,
) -> Result<PathBuf, KeystoreError> {
    if fs::metadata(path).map_err(io(path))?.is_dir() {
        return backup::backup_folder(path, at);
    }
    let store = StoreFile::open(path, lock_timeout)?;
    match &store.current {
        Some((bytes, meta)) => backup::backup_file(&store.dir, &store.name, bytes, meta, true, at),
        None => Err(missing(path)),
    }
}

/// Writes a small file (a certificate in a folder store) safely: owner-only temporary
/// file, flushed, the mode, owner and group of the file it replaces (a new one: 0644),
/// renamed into place. Temporary files a killed run left for it are removed first.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), KeystoreError> {
    let target = resolve(path)?;
    let (dir, name) = split(&target);
    replace::remove_leftovers(&dir, &name);
    let mut tmp = Temp::file(&dir, &name)?;
    tmp.write_synced(bytes)?;
    match fs::metadata(&target) {
        Ok(meta) => tmp.keep_metadata(&target, &meta, true)?,
        Err(_) => set_mode(&tmp, 0o644)?,
    }
    replace::commit(tmp, &target)
}

fn check_same_format(path: &Path, old: &[u8], format: Format) -> Result<(), KeystoreError> {
    let Ok(enc) = sniff(old) else {
        return Ok(());
    };
    let same = match (enc, format) {
        (Encoding::DerCertificates, Format::Pem) => false,
        (e, f) => e.format() == f,
    };
    if same {
        return Ok(());
    }
    Err(KeystoreError::Usage(format!(
        "refusing to write a {} keystore over {}, which is {}: use convert to change a keystore's format",
        format,
        path.display(),
        describe(enc)
    )))
}

fn describe(enc: Encoding) -> String {
    match enc {
        Encoding::DerCertificates => "DER certificates".into(),
        Encoding::PemText => "PEM".into(),
        e => e.format().to_string(),
    }
}

/// Reads the temporary file back and checks it holds what was meant.
fn verify(
    tmp: &Path,
    bytes: &[u8],
    ks: &Keystore,
    store_password: &Password,
    options: &SaveOptions,
) -> Result<(), KeystoreError> {
    let back = fs::read(tmp).map_err(io(tmp))?;
    if back != bytes {
        return Err(KeystoreError::Verify(format!(
            "{} reads back different from what was written",
            tmp.display()
        )));
    }
    let mut reread = Keystore::from_bytes_as(&back, ks.format, store_password)
        .map_err(|e| KeystoreError::Verify(format!("the new file does not read back: {e}")))?;
    let key_password = options
        .write
        .key_password
        .as_ref()
        .unwrap_or(store_password);
    compare(ks, &mut reread, key_password)
}

/// Checks that `written` holds the same entries as `meant`: aliases (as the format stores
/// them), kinds, certificates byte for byte, secret keys byte for byte, and private keys
/// that decrypt to the same PKCS#8 (or are stored unchanged).
pub(crate) fn compare(
    meant: &Keystore,
    written: &mut Keystore,
    key_password: &Password,
) -> Result<(), KeystoreError> {
    if meant.entries.len() != written.entries.len() {
        return Err(KeystoreError::Verify(format!(
            "{} entries meant, {} read back",
            meant.entries.len(),
            written.entries.len()
        )));
    }
    let fold = meant.format.lowercases_aliases();
    for m in &meant.entries {
        let want = if fold {
            m.alias.to_lowercase()
        } else {
            m.alias.clone()
        };
        let Some(w) = written.entries.iter_mut().find(|w| w.alias == want) else {
            return Err(KeystoreError::Verify(format!(
                "alias '{}' is missing after writing",
                m.alias
            )));
        };
        let bad = |what: &str| {
            KeystoreError::Verify(format!("alias '{}': {what} differs after writing", m.alias))
        };
        if m.certificates().len() != w.certificates().len()
            || m.certificates()
                .iter()
                .zip(w.certificates())
                .any(|(a, b)| a.der() != b.der())
        {
            return Err(bad("the certificate chain"));
        }
        match (&m.kind, &mut w.kind) {
            (EntryKind::TrustedCert(_), EntryKind::TrustedCert(_)) => {}
            (EntryKind::SecretKey(a), EntryKind::SecretKey(b)) => {
                if a.data != b.data {
                    return Err(bad("the secret key"));
                }
            }
            (EntryKind::PrivateKey(a), EntryKind::PrivateKey(b)) => {
                let unchanged = match (a.protected_key(), b.protected_key()) {
                    (Some(pa), Some(pb)) => pa.format == meant.format && pa.der == pb.der,
                    _ => false,
                };
                if !unchanged {
                    if let Some(want) = a.pkcs8_der() {
                        b.unlock(key_password).map_err(|e| {
                            KeystoreError::Verify(format!(
                                "alias '{}': the key does not decrypt: {e}",
                                m.alias
                            ))
                        })?;
                        if b.pkcs8_der() != Some(want) {
                            return Err(bad("the private key"));
                        }
                    }
                }
            }
            _ => return Err(bad("the entry type")),
        }
    }
    Ok(())
}

#[cfg(test)]
mod blame_tests {
    use super::*;

    /// An I/O error on the hidden temporary or lock file names the store (issue 13:
    /// "errors name the target file, not a hidden temporary file"); others are unchanged.
    #[test]
    fn helper_file_errors_name_the_store() {
        let store = Path::new("/srv/cvp/.keystore");
        let cases = [
            ("/srv/cvp/..keystore.ccetrust-0a1b2c3d4e5f.tmp", true),
            ("/srv/cvp/..keystore.ccetrust.lock", true),
            ("/srv/cvp/other.jks", false),
        ];
        for (hidden, renamed) in cases {
            let e = KeystoreError::Io {
                path: PathBuf::from(hidden),
                source: std::io::Error::new(std::io::ErrorKind::StorageFull, "no space left"),
            };
            let shown = on_target(store, e).to_string();
            assert_eq!(
                shown.starts_with("/srv/cvp/.keystore: no space left"),
                renamed,
                "{shown}"
            );
            if renamed {
                assert!(shown.contains("in the same folder"), "{shown}");
            }
        }
    }
}
