//! PEM (placeholder, filled in next).
use super::{Keystore, KeystoreError, Password};
pub(crate) fn read(_d: &[u8], _p: &Password) -> Result<Keystore, KeystoreError> {
    Err(KeystoreError::Unsupported("PEM not yet".into()))
}
pub(crate) fn write(_k: &Keystore, _p: &Password) -> Result<Vec<u8>, KeystoreError> {
    Err(KeystoreError::Unsupported("PEM not yet".into()))
}
