//! Writing a keystore to disk so that nothing is ever lost.
//!
//! The new content goes to a temporary file in the same folder (so the final rename stays
//! on one file system and is atomic), is flushed to disk, read back and compared with
//! what was meant, and only then renamed over the original. The original is copied to a
//! timestamped backup first, unless told not to. A process killed at any point leaves
//! either the old file or the new one, whole: never a mix. Writing a format other than
//! the file's own is refused unless a conversion was asked for: opening CVP's JCEKS as
//! another type and saving it is a known way to lose it.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::detect::{sniff, Encoding};
use super::{EntryKind, Format, Keystore, KeystoreError, Password, WriteOptions};
use crate::Timestamp;

use super::pbe::random;

/// How [`save`] writes.
#[derive(Debug, Clone)]
pub struct SaveOptions {
    /// Key protection and PKCS#12 algorithms.
    pub write: WriteOptions,
    /// Keep a copy of the file being replaced (`NAME.YYYYMMDDTHHMMSSZ.bak`). Default: yes.
    pub backup: bool,
    /// Allow replacing a file of another format (what `convert` does). Default: no.
    pub allow_format_change: bool,
}

impl Default for SaveOptions {
    fn default() -> Self {
        SaveOptions {
            write: WriteOptions::default(),
            backup: true,
            allow_format_change: false,
        }
    }
}

/// What [`save`] did.
#[derive(Debug, Clone)]
pub struct SaveReport {
    /// The file written.
    pub path: PathBuf,
    /// The backup of the previous content, if one was made.
    pub backup: Option<PathBuf>,
    /// Size of the new file.
    pub bytes: usize,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> KeystoreError + '_ {
    move |source| KeystoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `ks` to `path` safely (see the module documentation).
pub fn save(
    path: &Path,
    ks: &Keystore,
    store_password: &Password,
    options: &SaveOptions,
) -> Result<SaveReport, KeystoreError> {
    let existing = match fs::read(path) {
        Ok(b) => Some(b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io(path)(e)),
    };
    if let Some(old) = &existing {
        if !options.allow_format_change {
            if let Ok(enc) = sniff(old) {
                let same = match (enc, ks.format) {
                    (Encoding::DerCertificates, Format::Pem) => false,
                    (e, f) => e.format() == f,
                };
                if !same {
                    return Err(KeystoreError::Usage(format!(
                        "refusing to write a {} keystore over {}, which is {}: use convert to change a keystore's format",
                        ks.format,
                        path.display(),
                        describe(enc)
                    )));
                }
            }
        }
    }

    let bytes = ks.to_bytes(store_password, &options.write)?;

    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "keystore".into());
    let mut tag = [0u8; 6];
    random(&mut tag)?;
    let tmp = dir.join(format!(".{name}.ccetrust-{}.tmp", crate::hex(&tag)));

    let result = write_verified(&tmp, &bytes, ks, store_password, options);
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }

    let backup = match (&existing, options.backup) {
        (Some(old), true) => match make_backup(&dir, &name, old) {
            Ok(b) => Some(b),
            Err(e) => {
                let _ = fs::remove_file(&tmp);
                return Err(e);
            }
        },
        _ => None,
    };

    if let Err(e) = fs::rename(&tmp, path) {
        let _ = fs::remove_file(&tmp);
        return Err(io(path)(e));
    }
    // Make the rename itself durable where the platform allows opening a folder.
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(SaveReport {
        path: path.to_path_buf(),
        backup,
        bytes: bytes.len(),
    })
}

fn describe(enc: Encoding) -> String {
    match enc {
        Encoding::DerCertificates => "DER certificates".into(),
        Encoding::PemText => "PEM".into(),
        e => e.format().to_string(),
    }
}

fn write_verified(
    tmp: &Path,
    bytes: &[u8],
    ks: &Keystore,
    store_password: &Password,
    options: &SaveOptions,
) -> Result<(), KeystoreError> {
    {
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(tmp)
            .map_err(io(tmp))?;
        f.write_all(bytes).map_err(io(tmp))?;
        f.sync_all().map_err(io(tmp))?;
    }
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

fn make_backup(dir: &Path, name: &str, old: &[u8]) -> Result<PathBuf, KeystoreError> {
    let (y, mo, d, h, mi, s) = Timestamp::now().to_civil();
    let stamp = format!("{y:04}{mo:02}{d:02}T{h:02}{mi:02}{s:02}Z");
    for n in 0..1000 {
        let candidate = if n == 0 {
            dir.join(format!("{name}.{stamp}.bak"))
        } else {
            dir.join(format!("{name}.{stamp}-{n}.bak"))
        };
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(mut f) => {
                f.write_all(old).map_err(io(&candidate))?;
                f.sync_all().map_err(io(&candidate))?;
                return Ok(candidate);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io(&candidate)(e)),
        }
    }
    Err(KeystoreError::Usage(
        "too many backups with the same timestamp".into(),
    ))
}
