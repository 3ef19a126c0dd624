//! The file-system steps of a safe write: an owner-only temporary file beside the target,
//! the target's mode, owner and group given to it before the rename, the read-only check,
//! the rename itself, and the removal of what a killed run left behind.
//!
//! Temporary files are named `.NAME.ccetrust-<12 hex>.tmp` (NAME is the store's file name),
//! so the next writer, holding the store's lock, knows any such file is a dead run's and
//! removes it.

use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use super::{io, random};
use crate::keystore::KeystoreError;

/// A temporary file or folder, removed when dropped unless [`Temp::keep`] was called.
#[derive(Debug)]
pub(crate) struct Temp {
    path: PathBuf,
    file: Option<File>,
    kept: bool,
}

/// The temporary name for the store `name`, with a random tag.
fn temp_path(dir: &Path, name: &str) -> Result<PathBuf, KeystoreError> {
    let mut tag = [0u8; 6];
    random(&mut tag)?;
    Ok(dir.join(format!(".{name}.ccetrust-{}.tmp", crate::hex(&tag))))
}

/// Whether `file_name` is a temporary file of the store `name` (see the module doc; the
/// `NAME.ccetrust-tmp` form is what `apply` wrote before this scheme).
pub(crate) fn is_temp_of(name: &str, file_name: &str) -> bool {
    let ours = file_name
        .strip_prefix(&format!(".{name}.ccetrust-"))
        .and_then(|rest| rest.strip_suffix(".tmp"))
        .is_some_and(|tag| !tag.is_empty() && tag.bytes().all(|b| b.is_ascii_hexdigit()));
    let old = Path::new(name).with_extension("ccetrust-tmp");
    ours || old.as_os_str() == file_name
}

/// Removes what killed runs left in `dir` for the store `name`. Called with the store's
/// lock held, so no live ccetrust writer owns such a file.
pub(crate) fn remove_leftovers(dir: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        if !is_temp_of(name, &file_name.to_string_lossy()) {
            continue;
        }
        let p = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => {
                let _ = fs::remove_dir_all(&p);
            }
            Ok(_) => {
                let _ = fs::remove_file(&p);
            }
            Err(_) => {}
        }
    }
}

impl Temp {
    /// Creates an owner-only (0600) temporary file for the store `name` in `dir`.
    pub(crate) fn file(dir: &Path, name: &str) -> Result<Temp, KeystoreError> {
        let path = temp_path(dir, name)?;
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(&path).map_err(io(&path))?;
        Ok(Temp {
            path,
            file: Some(file),
            kept: false,
        })
    }

    /// Creates an owner-only (0700) temporary folder for the store `name` in `dir`.
    pub(crate) fn folder(dir: &Path, name: &str) -> Result<Temp, KeystoreError> {
        let path = temp_path(dir, name)?;
        let mut builder = fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        #[cfg(not(unix))]
        let _ = &mut builder;
        builder.create(&path).map_err(io(&path))?;
        Ok(Temp {
            path,
            file: None,
            kept: false,
        })
    }

    /// Where the temporary file or folder is.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `bytes` and flushes them to the disk.
    pub(crate) fn write_synced(&mut self, bytes: &[u8]) -> Result<(), KeystoreError> {
        let path = self.path.clone();
        let f = self.handle()?;
        f.write_all(bytes).map_err(io(&path))?;
        f.sync_all().map_err(io(&path))
    }

    fn handle(&mut self) -> Result<&mut File, KeystoreError> {
        let path = self.path.clone();
        self.file
            .as_mut()
            .ok_or_else(|| KeystoreError::Usage(format!("{} is a folder", path.display())))
    }

    /// Gives the file the mode, owner and group of `original` (see [`keep_metadata`]).
    pub(crate) fn keep_metadata(
        &mut self,
        target: &Path,
        original: &Metadata,
        force: bool,
    ) -> Result<(), KeystoreError> {
        let path = self.path.clone();
        let f = self.handle()?;
        keep_metadata(f, &path, target, original, force)
    }

    /// The temporary file was renamed into place: nothing to remove any more.
    pub(crate) fn keep(mut self) {
        self.kept = true;
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if self.kept {
            return;
        }
        self.file = None;
        if self.path.is_dir() {
            let _ = fs::remove_dir_all(&self.path);
        } else {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Unix: gives `file` (the temporary at `tmp`) the owner, group and mode of `original`
/// (the file at `target`), before it is renamed over it. Only root can give a file to
/// another user: when that is needed and not possible, the write is refused
/// ([`KeystoreError::Ownership`]) unless `force`, which keeps what can be kept.
#[cfg(unix)]
pub(crate) fn keep_metadata(
    file: &File,
    tmp: &Path,
    target: &Path,
    original: &Metadata,
    force: bool,
) -> Result<(), KeystoreError> {
    use std::os::unix::fs::{fchown, MetadataExt, PermissionsExt};
    let mine = file.metadata().map_err(io(tmp))?;
    if (mine.uid(), mine.gid()) != (original.uid(), original.gid()) {
        match fchown(file, Some(original.uid()), Some(original.gid())) {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::PermissionDenied => {
                let group_kept = fchown(file, None, Some(original.gid())).is_ok();
                if !force && (mine.uid() != original.uid() || !group_kept) {
                    return Err(KeystoreError::Ownership {
                        path: target.to_path_buf(),
                        detail: format!(
                            "it belongs to uid {} gid {}, and this user (uid {}) cannot give the new file that owner",
                            original.uid(),
                            original.gid(),
                            mine.uid()
                        ),
                    });
                }
            }
            Err(e) => return Err(io(tmp)(e)),
        }
    }
    // After the chown, which clears set-id bits.
    let mode = original.mode() & 0o7777;
    file.set_permissions(fs::Permissions::from_mode(mode))
        .map_err(io(tmp))
}

/// Windows: the file's ACL and attributes are kept by the replacement itself (see
/// [`commit`]); the temporary file needs nothing.
#[cfg(not(unix))]
pub(crate) fn keep_metadata(
    _file: &File,
    _tmp: &Path,
    _target: &Path,
    _original: &Metadata,
    _force: bool,
) -> Result<(), KeystoreError> {
    Ok(())
}

/// Refuses to replace a read-only store unless `force`: one with no write permission at
/// all (Unix mode without write bits, the Windows read-only attribute), whoever may write
/// its folder, or one this user may not open for writing.
pub(crate) fn check_writable(
    target: &Path,
    meta: &Metadata,
    force: bool,
) -> Result<(), KeystoreError> {
    if force {
        return Ok(());
    }
    if meta.permissions().readonly() {
        return Err(KeystoreError::ReadOnly {
            path: target.to_path_buf(),
            detail: if cfg!(windows) {
                "it has the read-only attribute".into()
            } else {
                "it has no write permission for anyone".into()
            },
        });
    }
    match OpenOptions::new().write(true).open(target) {
        Err(e) if e.kind() == ErrorKind::PermissionDenied => Err(KeystoreError::ReadOnly {
            path: target.to_path_buf(),
            detail: "this user has no write permission on it (only on its folder)".into(),
        }),
        _ => Ok(()),
    }
}

/// Renames the temporary file over `target`, then makes the rename durable. On Windows
/// a read-only target (replaced only with `force`) gets its attribute back.
pub(crate) fn commit(tmp: Temp, target: &Path) -> Result<(), KeystoreError> {
    #[cfg(windows)]
    let was_readonly = match fs::metadata(target) {
        Ok(m) if m.permissions().readonly() => {
            let mut p = m.permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            p.set_readonly(false);
            fs::set_permissions(target, p).map_err(io(target))?;
            true
        }
        _ => false,
    };
    let renamed = platform_replace(tmp.path(), target);
    #[cfg(windows)]
    if was_readonly {
        if let Ok(m) = fs::metadata(target) {
            let mut p = m.permissions();
            p.set_readonly(true);
            let _ = fs::set_permissions(target, p);
        }
    }
    renamed.map_err(io(target))?;
    tmp.keep();
    if let Some(dir) = target.parent() {
        sync_dir(dir);
    }
    Ok(())
}

#[cfg(not(windows))]
fn platform_replace(tmp: &Path, target: &Path) -> std::io::Result<()> {
    fs::rename(tmp, target)
}

/// Windows: `ReplaceFileW` when the store exists, which keeps its ACL, owner, attributes
/// and creation time (a rename would give it the temporary file's ACL, inherited from the
/// folder); a rename for a new store.
#[cfg(windows)]
fn platform_replace(tmp: &Path, target: &Path) -> std::io::Result<()> {
    if target.exists() {
        ccetrust_winfs::replace_file(target, tmp)
    } else {
        fs::rename(tmp, target)
    }
}

/// Flushes a folder's entries (a rename) to the disk where the platform lets a folder be
/// opened; elsewhere the rename is as durable as the file system makes it.
pub(crate) fn sync_dir(dir: &Path) {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only names this module makes (or `apply` made before) count as left-overs: a
    /// backup, the lock file or another store's temporary file is never removed.
    #[test]
    fn leftovers_are_recognised_by_name_only() {
        for (file, ours) in [
            (".cacerts.ccetrust-0a1b2c3d4e5f.tmp", true),
            ("cacerts.ccetrust-tmp", true),
            (".cacerts.ccetrust-.tmp", false),
            (".cacerts.ccetrust-zz.tmp", false),
            (".cacerts.ccetrust.lock", false),
            ("cacerts.20261203T105714Z.bak", false),
            (".other.ccetrust-0a1b2c3d4e5f.tmp", false),
            (".cacerts.ccetrust-0a1b2c3d4e5f.tmp.bak", false),
        ] {
            assert_eq!(is_temp_of("cacerts", file), ours, "{file}");
        }
    }
}
