//! The subject public key as an administrator describes it: "RSA 2048", "EC P-256".

use der::asn1::ObjectIdentifier;

use super::der_reader::{integer_bits, DerReader, INTEGER, SEQUENCE};
use super::oids::{self, known};

/// Algorithm, size and curve of a public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKeyInfo {
    /// `RSA`, `EC`, `Ed25519`, `DSA`… or the dotted OID.
    pub algorithm: String,
    /// Key size in bits: the RSA modulus length, the curve's field size, 256 for Ed25519.
    pub bits: Option<u32>,
    /// For EC keys, the named curve (`P-256`, `P-384`, …).
    pub curve: Option<String>,
}

impl PublicKeyInfo {
    /// From the DER of a SubjectPublicKeyInfo, walked without allocating.
    pub(crate) fn from_spki_der(der: &[u8]) -> Self {
        let unknown = PublicKeyInfo {
            algorithm: "?".into(),
            bits: None,
            curve: None,
        };
        let mut r = DerReader::new(der, 0);
        let Ok(seq) = r.expect(SEQUENCE, "SubjectPublicKeyInfo") else {
            return unknown;
        };
        let mut s = DerReader::inside(&seq);
        let Ok(alg) = s.expect(SEQUENCE, "algorithm") else {
            return unknown;
        };
        let mut a = DerReader::inside(&alg);
        let Ok(oid) = a.expect(super::der_reader::OID, "OID") else {
            return unknown;
        };
        // Known algorithms by their encoded OID (no decoding); others by the dotted form.
        let oid = oid.value;
        let algorithm = match oids::key_algorithm_name_bytes(oid) {
            Some(name) => name.to_string(),
            None => match ObjectIdentifier::from_bytes(oid) {
                Ok(o) => oids::key_algorithm_name(&o),
                Err(_) => return unknown,
            },
        };
        let params = a.any("parameters").ok();
        let key = s
            .expect(0x03, "subjectPublicKey")
            .ok()
            .map(|b| b.value.get(1..).unwrap_or(&[]));
        let (bits, curve) =
            if oid == known::RSA_ENCRYPTION.as_bytes() || oid == known::RSA_PSS.as_bytes() {
                (key.and_then(rsa_modulus_bits), None)
            } else if oid == known::EC_PUBLIC_KEY.as_bytes() {
                let curve = params
                    .filter(|p| p.tag == super::der_reader::OID)
                    .and_then(|p| ObjectIdentifier::from_bytes(p.value).ok())
                    .map(|o| oids::curve_name(&o));
                (curve_bits(curve.as_deref()), curve)
            } else if oid == known::ED25519.as_bytes() {
                (Some(256), None)
            } else {
                (None, None)
            };
        PublicKeyInfo {
            algorithm,
            bits,
            curve,
        }
    }

    /// "RSA 2048", "EC P-256", "Ed25519".
    pub fn describe(&self) -> String {
        match (&self.curve, self.bits) {
            (Some(c), _) => format!("{} {}", self.algorithm, c),
            (None, Some(b)) if self.algorithm == "RSA" => format!("RSA {b}"),
            _ => self.algorithm.clone(),
        }
    }
}

fn curve_bits(curve: Option<&str>) -> Option<u32> {
    match curve {
        Some("P-256") | Some("secp256k1") | Some("brainpoolP256r1") => Some(256),
        Some("P-384") | Some("brainpoolP384r1") => Some(384),
        Some("P-521") => Some(521),
        Some("brainpoolP512r1") => Some(512),
        Some("P-224") => Some(224),
        Some("P-192") => Some(192),
        _ => None,
    }
}

/// RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (RFC 8017 A.1.1)
fn rsa_modulus_bits(pkcs1: &[u8]) -> Option<u32> {
    let mut r = DerReader::new(pkcs1, 0);
    let seq = r.expect(SEQUENCE, "RSAPublicKey").ok()?;
    let n = DerReader::inside(&seq).expect(INTEGER, "modulus").ok()?;
    Some(integer_bits(n.value))
}
