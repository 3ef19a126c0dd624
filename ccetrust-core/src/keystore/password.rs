//! Passwords: held in memory that is wiped when dropped, never printed.

use std::fmt;
use std::path::Path;

use zeroize::Zeroizing;

use super::KeystoreError;

/// A store or key password.
///
/// Java passwords are strings of UTF-16 code units; each format turns them into bytes its
/// own way (UTF-16BE for the JKS trailer and PKCS#12's KDF, UTF-8 for PBES2, one byte per
/// character for JCEKS keys), so the password is kept as text. Its memory is zeroed on
/// drop, and `Debug` prints `Password(***)`.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(Zeroizing<String>);

impl Password {
    /// A password from text.
    pub fn new(text: &str) -> Password {
        Password(Zeroizing::new(text.to_string()))
    }

    /// A password from bytes, which must be UTF-8.
    pub fn from_bytes(bytes: &[u8]) -> Result<Password, KeystoreError> {
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(Password::new(s)),
            Err(_) => Err(KeystoreError::Usage(
                "the password is not valid UTF-8".to_string(),
            )),
        }
    }

    /// The password held in an environment variable (which must be set).
    pub fn from_env(var: &str) -> Result<Password, KeystoreError> {
        match std::env::var_os(var) {
            None => Err(KeystoreError::Usage(format!(
                "environment variable {var} is not set"
            ))),
            Some(v) => match v.into_string() {
                Ok(s) => {
                    let s = Zeroizing::new(s);
                    Ok(Password::new(&s))
                }
                Err(_) => Err(KeystoreError::Usage(format!(
                    "environment variable {var} is not valid Unicode"
                ))),
            },
        }
    }

    /// The password in a file: its first line, without the line ending (a file written by
    /// `echo` or Notepad works as is).
    pub fn from_file(path: &Path) -> Result<Password, KeystoreError> {
        let bytes = Zeroizing::new(crate::input::read(path, crate::input::InputKind::Password)?);
        let mut b: &[u8] = &bytes;
        b = b.strip_prefix(&[0xef, 0xbb, 0xbf]).unwrap_or(b);
        if let Some(end) = b.iter().position(|&c| c == b'\n') {
            b = &b[..end];
        }
        b = b.strip_suffix(b"\r").unwrap_or(b);
        Password::from_bytes(b).map_err(|_| {
            KeystoreError::Usage(format!(
                "{}: the password is not valid UTF-8 (save the file as UTF-8)",
                path.display()
            ))
        })
    }

    /// The password's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the password is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// UTF-16BE code units, as Java's `char[]` becomes bytes for the JKS digest and key
    /// protector.
    pub(crate) fn utf16be(&self) -> Zeroizing<Vec<u8>> {
        let mut v = Zeroizing::new(Vec::with_capacity(self.0.len() * 2));
        for u in self.0.encode_utf16() {
            v.extend_from_slice(&u.to_be_bytes());
        }
        v
    }

    /// The PKCS#12 KDF's encoding: UTF-16BE with a terminating NUL (RFC 7292 B.1).
    pub(crate) fn bmp_string(&self) -> Zeroizing<Vec<u8>> {
        let mut v = self.utf16be();
        v.extend_from_slice(&[0, 0]);
        v
    }
}

impl From<&str> for Password {
    fn from(s: &str) -> Password {
        Password::new(s)
    }
}

impl From<String> for Password {
    fn from(s: String) -> Password {
        Password(Zeroizing::new(s))
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}
