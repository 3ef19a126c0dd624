//! What the validator remembers between verifications: issuer keys already decoded, and
//! signatures already found good.
//!
//! A contact center's certificates come from a handful of CAs: an audit of 300 servers, a
//! batch `verify`, or a TLS client checking every agent desktop's server checks hundreds of
//! leaves against the same issuing CA and root. Setting up an RSA key costs about a tenth
//! of a signature check, and the intermediate's own signature is the same for every leaf.
//! Both are pure functions of public bytes, so remembering them changes no verdict:
//! - keys are found by the issuer's SubjectPublicKeyInfo DER (the same bytes are the same
//!   key);
//! - a good signature on a CA certificate is found by the SHA-256 of the whole certificate
//!   (which covers its to-be-signed part, algorithm and signature) and the issuer's
//!   SubjectPublicKeyInfo. Only successes are kept, so a bad signature is checked again
//!   every time; leaves, which rarely recur, are always checked.
//!
//! Both are bounded; when one is full it is emptied and refills with what is in use.
//! [`clear_caches`] empties them (benchmarks use it to measure cold verification).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use super::keys::{parse_key, PublicKey};
use crate::cert::{Certificate, SignatureError};

const KEY_LIMIT: usize = 1024;
const SIGNATURE_LIMIT: usize = 16_384;

type KeyMap = HashMap<Box<[u8]>, Arc<PublicKey>>;
/// SHA-256 of a signed certificate → the SubjectPublicKeyInfo DER of each issuer key its
/// signature verified under (usually one).
type SignatureSet = HashMap<[u8; 32], Vec<Box<[u8]>>>;

static KEYS: OnceLock<Mutex<KeyMap>> = OnceLock::new();
static GOOD_SIGNATURES: OnceLock<Mutex<SignatureSet>> = OnceLock::new();

/// Locks a cache. A poisoned lock only means another thread panicked while holding it; the
/// map is always consistent (single inserts and clears), so it is used as it is.
fn lock<T: Default>(cell: &'static OnceLock<Mutex<T>>) -> MutexGuard<'static, T> {
    cell.get_or_init(|| Mutex::new(T::default()))
        .lock()
        .unwrap_or_else(|p| p.into_inner())
}

/// Empties both caches: the next verifications decode every key and check every signature.
pub fn clear_caches() {
    lock(&KEYS).clear();
    lock(&GOOD_SIGNATURES).clear();
}

/// `cert`'s public key, decoded now or earlier in this process.
pub(crate) fn key_of(cert: &Certificate) -> Result<Arc<PublicKey>, SignatureError> {
    let spki = cert.spki_der();
    if let Some(k) = lock(&KEYS).get(spki) {
        return Ok(Arc::clone(k));
    }
    let key = Arc::new(parse_key(cert)?);
    let mut map = lock(&KEYS);
    if map.len() >= KEY_LIMIT {
        map.clear();
    }
    map.insert(spki.into(), Arc::clone(&key));
    Ok(key)
}

/// Whether `child`'s signature was already found good under `issuer`'s key.
pub(crate) fn known_good(child_sha256: &[u8; 32], issuer: &Certificate) -> bool {
    lock(&GOOD_SIGNATURES)
        .get(child_sha256)
        .is_some_and(|keys| keys.iter().any(|k| **k == *issuer.spki_der()))
}

/// Remembers that `child`'s signature verified under `issuer`'s key.
pub(crate) fn remember_good(child_sha256: [u8; 32], issuer: &Certificate) {
    let mut set = lock(&GOOD_SIGNATURES);
    if set.len() >= SIGNATURE_LIMIT {
        set.clear();
    }
    set.entry(child_sha256)
        .or_default()
        .push(issuer.spki_der().into());
}
