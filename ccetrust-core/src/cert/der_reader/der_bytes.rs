//! `DerBytes`: a piece of a certificate's DER that shares the certificate's one copy of its
//! bytes instead of holding its own.
//!
//! Reading a trust store or a bundle means thousands of certificates, each with names and
//! extension values that callers may keep longer than the certificate. Sharing one
//! reference-counted buffer makes keeping them cheap (no allocation per piece) while each
//! piece stays a self-contained value that derefs to `&[u8]`.

use std::fmt;
use std::ops::{Deref, Range};
use std::sync::Arc;

/// Bytes shared with the DER they were read from (a certificate, a CSR's extension list).
/// Derefs to `[u8]`; compares, hashes and prints like the bytes themselves.
#[derive(Clone)]
pub struct DerBytes {
    buf: Arc<[u8]>,
    start: usize,
    end: usize,
}

impl DerBytes {
    /// `buf[range]`, sharing `buf`. An out-of-range `range` (a bug, never input-driven:
    /// callers pass ranges the DER walker produced over `buf`) gives empty bytes, not a panic.
    pub(crate) fn shared(buf: &Arc<[u8]>, range: Range<usize>) -> Self {
        let (start, end) = if range.start <= range.end && range.end <= buf.len() {
            (range.start, range.end)
        } else {
            (0, 0)
        };
        DerBytes {
            buf: Arc::clone(buf),
            start,
            end,
        }
    }

    /// The bytes as a slice.
    #[inline]
    pub fn as_slice(&self) -> &[u8] {
        self.buf.get(self.start..self.end).unwrap_or_default()
    }
}

impl Deref for DerBytes {
    type Target = [u8];
    #[inline]
    fn deref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl AsRef<[u8]> for DerBytes {
    fn as_ref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl From<&[u8]> for DerBytes {
    fn from(b: &[u8]) -> Self {
        let buf: Arc<[u8]> = Arc::from(b);
        let end = buf.len();
        DerBytes { buf, start: 0, end }
    }
}

impl From<Vec<u8>> for DerBytes {
    fn from(b: Vec<u8>) -> Self {
        let buf: Arc<[u8]> = Arc::from(b);
        let end = buf.len();
        DerBytes { buf, start: 0, end }
    }
}

impl PartialEq for DerBytes {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}
impl Eq for DerBytes {}

impl PartialEq<[u8]> for DerBytes {
    fn eq(&self, other: &[u8]) -> bool {
        self.as_slice() == other
    }
}

impl PartialEq<Vec<u8>> for DerBytes {
    fn eq(&self, other: &Vec<u8>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl std::hash::Hash for DerBytes {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state)
    }
}

impl fmt::Debug for DerBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_slice(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_and_compares_by_content() {
        let buf: Arc<[u8]> = Arc::from(&[1u8, 2, 3, 4][..]);
        let a = DerBytes::shared(&buf, 1..3);
        assert_eq!(&*a, &[2, 3]);
        assert_eq!(a, DerBytes::from(vec![2, 3]));
        assert_eq!(Arc::strong_count(&buf), 2);
        assert!(DerBytes::shared(&buf, 3..9).is_empty());
    }
}
