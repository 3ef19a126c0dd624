//! `ReplaceFileW` behind a safe function, for ccetrust's keystore writes on Windows.
//!
//! Why a crate of its own: replacing a file with a rename (`MoveFileExW`, what
//! `std::fs::rename` does) gives the store the temporary file's ACL, inherited from the
//! folder, so a store an administrator had restricted to the service account would become
//! readable by whoever the folder lets read. `ReplaceFileW` keeps the replaced file's ACL,
//! owner, attributes and creation time. No well-kept crate exposes it safely (`windows` and
//! `windows-sys` bind it as `unsafe`; `tempfile` and `atomicwrites` persist with
//! `MoveFileExW`), and `ccetrust-core` forbids unsafe code, so the one call lives here,
//! where it can be read in one view. On other platforms the crate is empty.

#[cfg(windows)]
mod windows {
    use std::io;
    use std::os::windows::ffi::OsStrExt;
    use std::path::Path;

    use windows_sys::Win32::Storage::FileSystem::{ReplaceFileW, REPLACEFILE_WRITE_THROUGH};

    /// `ERROR_UNABLE_TO_MOVE_REPLACEMENT`: without a backup name, the replaced file is gone
    /// and the replacement is still under its own name.
    const ERROR_UNABLE_TO_MOVE_REPLACEMENT: i32 = 1176;

    fn wide(p: &Path) -> Vec<u16> {
        p.as_os_str().encode_wide().chain(Some(0)).collect()
    }

    /// Replaces the existing file `replaced` with `replacement` (same volume), keeping
    /// `replaced`'s ACL, owner, attributes and creation time; `replacement` is gone
    /// afterwards. When Windows has removed `replaced` but could not move `replacement`
    /// (`ERROR_UNABLE_TO_MOVE_REPLACEMENT`), the replacement is renamed into place, so the
    /// name is never left empty.
    #[allow(unsafe_code)]
    pub fn replace_file(replaced: &Path, replacement: &Path) -> io::Result<()> {
        let (a, b) = (wide(replaced), wide(replacement));
        // SAFETY: `a` and `b` are NUL-terminated UTF-16 strings that outlive the call; the
        // backup name, exclude and reserved arguments are null, which the API documents as
        // allowed (no backup, reserved).
        let ok = unsafe {
            ReplaceFileW(
                a.as_ptr(),
                b.as_ptr(),
                std::ptr::null(),
                REPLACEFILE_WRITE_THROUGH,
                std::ptr::null(),
                std::ptr::null(),
            )
        };
        if ok != 0 {
            return Ok(());
        }
        let err = io::Error::last_os_error();
        if err.raw_os_error() == Some(ERROR_UNABLE_TO_MOVE_REPLACEMENT) {
            return std::fs::rename(replacement, replaced);
        }
        Err(err)
    }
}

#[cfg(windows)]
pub use windows::replace_file;
