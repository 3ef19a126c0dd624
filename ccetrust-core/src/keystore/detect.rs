//! Telling a keystore's format from its content, never from its file name (a `.jks` that
//! is really PKCS#12 is common since JDK 9 made PKCS#12 keytool's default).

use super::java::{JCEKS_MAGIC, JKS_MAGIC};
use super::{Format, KeystoreError};

/// What the bytes are, finer than [`Format`]: PEM text, or certificates in DER.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    Jks,
    Jceks,
    Pkcs12,
    /// PEM text (certificates, keys).
    PemText,
    /// A single DER certificate or a DER PKCS#7 bundle: read as a certificate bundle.
    DerCertificates,
}

impl Encoding {
    pub(crate) fn format(self) -> Format {
        match self {
            Encoding::Jks => Format::Jks,
            Encoding::Jceks => Format::Jceks,
            Encoding::Pkcs12 => Format::Pkcs12,
            Encoding::PemText | Encoding::DerCertificates => Format::Pem,
        }
    }
}

/// The keystore format of `bytes`: JKS (`FEEDFEED`), JCEKS (`CECECECE`), PKCS#12 (a DER
/// SEQUENCE opening with version 3), or PEM — which also covers certificate bundles given
/// as a DER certificate or a PKCS#7 file.
pub fn detect(bytes: &[u8]) -> Result<Format, KeystoreError> {
    sniff(bytes).map(Encoding::format)
}

pub(crate) fn sniff(bytes: &[u8]) -> Result<Encoding, KeystoreError> {
    if bytes.len() >= 4 {
        match u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) {
            JKS_MAGIC => return Ok(Encoding::Jks),
            JCEKS_MAGIC => return Ok(Encoding::Jceks),
            _ => {}
        }
    }
    if bytes.is_empty() {
        return Err(KeystoreError::UnknownFormat("the file is empty".into()));
    }
    if bytes[0] == 0x30 {
        // Look only at the header: a truncated PKCS#12 is still PKCS#12 (and then reported
        // as malformed with its offset, not as "unknown").
        let header = match bytes.get(1) {
            Some(&l) if l < 0x80 => Some(2),
            Some(&l) if (0x81..=0x84).contains(&l) => Some(2 + (l & 0x7f) as usize),
            _ => None,
        };
        if let Some(h) = header {
            if bytes.get(h..h + 3) == Some(&[0x02, 0x01, 0x03][..]) {
                return Ok(Encoding::Pkcs12);
            }
            if bytes.get(h) == Some(&0x30) || bytes.get(h) == Some(&0x06) {
                return Ok(Encoding::DerCertificates);
            }
        }
        return Err(KeystoreError::UnknownFormat(
            "a DER structure that is neither PKCS#12, a certificate nor PKCS#7".into(),
        ));
    }
    let text = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]).unwrap_or(bytes);
    if crate::cert::pem::looks_like_pem(text) {
        return Ok(Encoding::PemText);
    }
    Err(KeystoreError::UnknownFormat(format!(
        "starts with {:02x?}: not JKS, JCEKS, PKCS#12 or PEM",
        &bytes[..bytes.len().min(4)]
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_numbers() {
        assert_eq!(
            detect(&[0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2]).unwrap(),
            Format::Jks
        );
        assert_eq!(
            detect(&[0xce, 0xce, 0xce, 0xce, 0, 0, 0, 2]).unwrap(),
            Format::Jceks
        );
        assert_eq!(
            detect(&[0x30, 0x82, 0x09, 0x00, 0x02, 0x01, 0x03]).unwrap(),
            Format::Pkcs12
        );
        assert_eq!(
            detect(b"-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n").unwrap(),
            Format::Pem
        );
        assert_eq!(detect(b"").unwrap_err().kind(), "malformed");
        assert_eq!(detect(b"PK\x03\x04zip").unwrap_err().kind(), "malformed");
        assert_eq!(detect(&[0x30]).unwrap_err().kind(), "malformed");
    }
}
