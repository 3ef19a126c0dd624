//! Backups of a store before it is replaced, under the one naming scheme every command,
//! `apply` and the plan's text use: `NAME.YYYYMMDDTHHMMSSZ.bak` (UTC), then
//! `NAME.YYYYMMDDTHHMMSSZ-2.bak`, `-3`, … when taken; folders the same.
//!
//! A backup is written the way the store is: a temporary file (owner-only), flushed to the
//! disk, given the original's mode, owner and group, then put under its name without ever
//! replacing an existing backup (a hard link where the file system has them, else a rename
//! after checking the name is free). A full disk or a killed run leaves at most a temporary
//! file, which the next write removes: never a truncated file under a backup's name.

use std::fs::{self, Metadata};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use super::io;
use super::replace::{sync_dir, Temp};
use crate::keystore::KeystoreError;
use crate::Timestamp;

/// The `n`-th backup name of `name` at `at` (`n` = 1 for the first; see the module doc).
pub fn backup_name(name: &str, at: Timestamp, n: u32) -> String {
    let (y, mo, d, h, mi, s) = at.to_civil();
    let stamp = format!("{y:04}{mo:02}{d:02}T{h:02}{mi:02}{s:02}Z");
    if n <= 1 {
        format!("{name}.{stamp}.bak")
    } else {
        format!("{name}.{stamp}-{n}.bak")
    }
}

/// Writes `content` (the store `name` in `dir`, whose metadata is `original`) as a backup;
/// returns its path.
pub(crate) fn backup_file(
    dir: &Path,
    name: &str,
    content: &[u8],
    original: &Metadata,
    force: bool,
    at: Timestamp,
) -> Result<PathBuf, KeystoreError> {
    let mut tmp = Temp::file(dir, name)?;
    tmp.write_synced(content)?;
    tmp.keep_metadata(&dir.join(name), original, force)?;
    place(tmp, dir, name, at)
}

/// Copies the regular files of the folder store `folder` into a backup folder beside it
/// (each file and the folder with their mode, owner and group); returns its path.
pub(crate) fn backup_folder(folder: &Path, at: Timestamp) -> Result<PathBuf, KeystoreError> {
    let (dir, name) = super::split(folder);
    // What a killed backup of this folder left (folder stores have no lock: the plan's
    // backup step is their only writer besides the administrator).
    super::replace::remove_leftovers(&dir, &name);
    let tmp = Temp::folder(&dir, &name)?;
    for entry in fs::read_dir(folder).map_err(io(folder))?.flatten() {
        let p = entry.path();
        let Ok(meta) = fs::metadata(&p) else { continue };
        if !meta.is_file() {
            continue;
        }
        let bytes = fs::read(&p).map_err(io(&p))?;
        let dest = tmp.path().join(entry.file_name());
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut f = options.open(&dest).map_err(io(&dest))?;
        std::io::Write::write_all(&mut f, &bytes).map_err(io(&dest))?;
        f.sync_all().map_err(io(&dest))?;
        super::replace::keep_metadata(&f, &dest, &p, &meta, true)?;
    }
    let meta = fs::metadata(folder).map_err(io(folder))?;
    keep_folder_metadata(tmp.path(), &meta);
    sync_dir(tmp.path());
    place(tmp, &dir, &name, at)
}

#[cfg(unix)]
fn keep_folder_metadata(path: &Path, original: &Metadata) {
    use std::os::unix::fs::{chown, MetadataExt, PermissionsExt};
    let _ = chown(path, Some(original.uid()), Some(original.gid()));
    let _ = fs::set_permissions(path, fs::Permissions::from_mode(original.mode() & 0o7777));
}

#[cfg(not(unix))]
fn keep_folder_metadata(_path: &Path, _original: &Metadata) {}

/// Puts the finished temporary file or folder under the first free backup name.
fn place(tmp: Temp, dir: &Path, name: &str, at: Timestamp) -> Result<PathBuf, KeystoreError> {
    let is_dir = tmp.path().is_dir();
    for n in 1..=1000 {
        let candidate = dir.join(backup_name(name, at, n));
        if !is_dir {
            // A hard link fails when the name is taken: no check-then-rename race.
            match fs::hard_link(tmp.path(), &candidate) {
                Ok(()) => {
                    drop(tmp); // removes the temporary name; the backup keeps the data
                    sync_dir(dir);
                    return Ok(candidate);
                }
                Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
                Err(_) => {} // no hard links here (FAT, some shares): rename below
            }
        }
        match fs::symlink_metadata(&candidate) {
            Err(e) if e.kind() == ErrorKind::NotFound => {
                fs::rename(tmp.path(), &candidate).map_err(io(&candidate))?;
                tmp.keep();
                sync_dir(dir);
                return Ok(candidate);
            }
            _ => continue,
        }
    }
    Err(KeystoreError::Usage(format!(
        "{}: 1000 backups with the same timestamp already exist",
        dir.join(name).display()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one backup scheme (README, "What a write guarantees"): UTC, seconds, `-N` from 2.
    #[test]
    fn backup_names_follow_the_one_scheme() {
        let at = Timestamp::from_civil(2026, 12, 3, 10, 57, 14).unwrap_or(Timestamp::from_unix(0));
        for (name, n, want) in [
            ("cacerts", 1, "cacerts.20261203T105714Z.bak"),
            ("cacerts", 2, "cacerts.20261203T105714Z-2.bak"),
            (".keystore", 3, ".keystore.20261203T105714Z-3.bak"),
            ("certs", 0, "certs.20261203T105714Z.bak"),
        ] {
            assert_eq!(backup_name(name, at, n), want);
        }
    }
}
