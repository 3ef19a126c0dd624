//! Self-signed end-entity certificates, as keytool's `-genkeypair` makes them but with the
//! fields Cisco's importers need (RFC 5280 §4.1, §4.2): CN = FQDN, the FQDN repeated as
//! the first DNS SAN (modern TLS clients ignore the CN, RFC 6125 §6.4.4), basicConstraints
//! CA:FALSE (critical), keyUsage digitalSignature (+ keyEncipherment for RSA, critical),
//! the EKU asked for, a subjectKeyIdentifier, and a random positive 16-byte serial.

use sha1::{Digest, Sha1};

use super::der;
use super::keypair::random_bytes;
use super::{KeyAlgorithm, KeyPair, LifecycleError, San, Subject, ATTRIBUTES, MAX_VALIDITY_DAYS};
use crate::time::Timestamp;
use crate::Certificate;

const OID_CN: &str = "2.5.4.3";
const OID_BASIC_CONSTRAINTS: &str = "2.5.29.19";
const OID_KEY_USAGE: &str = "2.5.29.15";
const OID_EXT_KEY_USAGE: &str = "2.5.29.37";
const OID_SAN: &str = "2.5.29.17";
const OID_SKI: &str = "2.5.29.14";

/// Makes a self-signed certificate for `subject` with `key`, valid from now for `days`.
pub fn self_signed(
    key: &KeyPair,
    subject: &Subject,
    days: u32,
) -> Result<Certificate, LifecycleError> {
    self_signed_at(key, subject, days, Timestamp::now())
}

/// [`self_signed`] for a run judged at `at` (`ccetrust apply --at`): valid from the earlier
/// of now and `at` until `days` after the later, so that it is valid both when the audit
/// judges it and for `days` from now — never a certificate that expires early because the
/// audit time lies in the past.
pub fn self_signed_at(
    key: &KeyPair,
    subject: &Subject,
    days: u32,
    at: Timestamp,
) -> Result<Certificate, LifecycleError> {
    if days == 0 || days > MAX_VALIDITY_DAYS {
        return Err(LifecycleError::Option {
            option: "--validity",
            detail: format!("{days} days: give 1 to {MAX_VALIDITY_DAYS}"),
        });
    }
    let now = Timestamp::now();
    let (from, until) = if at.unix() < now.unix() {
        (at, now)
    } else {
        (now, at)
    };
    let name = encode_name(subject);
    let spki = key.spki_der()?;
    let alg = key.signature_algorithm();
    let extensions = der::seq(&[
        &extension(OID_BASIC_CONSTRAINTS, true, &der::seq(&[])),
        &extension(OID_KEY_USAGE, true, &key_usage(key)),
        &extension(OID_EXT_KEY_USAGE, false, &eku_value(subject)),
        &extension(OID_SAN, false, &san_value(&subject.all_sans())),
        &extension(OID_SKI, false, &der::tlv(der::OCTET_STRING, &key_id(&spki))),
    ]);
    let tbs = der::seq(&[
        &der::tlv(0xa0, &der::uint_bytes(&[2])),
        &der::uint_bytes(&serial()?),
        &alg,
        &name,
        &der::seq(&[
            &der::time(from),
            &der::time(until.plus_days(i64::from(days))),
        ]),
        &name,
        &spki,
        &der::tlv(0xa3, &extensions),
    ]);
    let signature = key.sign(&tbs)?;
    let cert = der::seq(&[&tbs, &alg, &der::bit_string(&signature)]);
    Certificate::from_der(&cert)
        .map_err(|e| LifecycleError::Crypto(format!("the certificate made does not parse: {e}")))
}

/// A random positive serial of exactly 16 bytes (RFC 5280 §4.1.2.2: at most 20 octets,
/// positive; CA/B BR §7.1: at least 64 random bits): the top bit cleared so it is positive,
/// the next one set so no byte is dropped.
fn serial() -> Result<Vec<u8>, LifecycleError> {
    let mut s = random_bytes(16)?;
    s[0] = (s[0] & 0x7f) | 0x40;
    Ok(s)
}

/// The subject (and issuer) Name: the `--subject` attributes in the order given, then CN.
pub(crate) fn encode_name(subject: &Subject) -> Vec<u8> {
    let mut rdns = Vec::new();
    for (k, v) in &subject.attributes {
        let oid = ATTRIBUTES
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, o)| *o)
            .unwrap_or(OID_CN);
        // X.520: countryName is a PrintableString; the others DirectoryString (UTF8String,
        // RFC 5280 §4.1.2.6).
        let tag = if k == "C" {
            der::PRINTABLE_STRING
        } else {
            der::UTF8_STRING
        };
        rdns.push(rdn(oid, tag, v));
    }
    rdns.push(rdn(OID_CN, der::UTF8_STRING, &subject.fqdn));
    let refs: Vec<&[u8]> = rdns.iter().map(Vec::as_slice).collect();
    der::seq(&refs)
}

fn rdn(oid: &str, tag: u8, value: &str) -> Vec<u8> {
    der::set_of(&[der::seq(&[
        &der::oid(oid),
        &der::tlv(tag, value.as_bytes()),
    ])])
}

/// An `Extension`: id, critical only when TRUE (DER omits the default), the value.
pub(crate) fn extension(oid: &str, critical: bool, value: &[u8]) -> Vec<u8> {
    let id = der::oid(oid);
    let wrapped = der::tlv(der::OCTET_STRING, value);
    if critical {
        der::seq(&[&id, &der::tlv(der::BOOLEAN, &[0xff]), &wrapped])
    } else {
        der::seq(&[&id, &wrapped])
    }
}

/// keyUsage (RFC 5280 §4.2.1.3) as a DER named-bit BIT STRING: digitalSignature (bit 0)
/// and, for RSA, keyEncipherment (bit 2, RSA key transport in TLS 1.2).
fn key_usage(key: &KeyPair) -> Vec<u8> {
    match key.spec().algorithm {
        KeyAlgorithm::Rsa => der::tlv(der::BIT_STRING, &[5, 0xa0]),
        KeyAlgorithm::Ec => der::tlv(der::BIT_STRING, &[7, 0x80]),
    }
}

/// extKeyUsage: the key purposes asked for.
pub(crate) fn eku_value(subject: &Subject) -> Vec<u8> {
    let oids: Vec<Vec<u8>> = subject.eku.oids().iter().map(|o| der::oid(o)).collect();
    let refs: Vec<&[u8]> = oids.iter().map(Vec::as_slice).collect();
    der::seq(&refs)
}

/// subjectAltName: `dNSName` [2] IA5String, `iPAddress` [7] OCTET STRING (4 or 16 bytes).
pub(crate) fn san_value(sans: &[San]) -> Vec<u8> {
    let names: Vec<Vec<u8>> = sans
        .iter()
        .map(|s| match s {
            San::Dns(n) => der::tlv(0x82, n.as_bytes()),
            San::Ip(std::net::IpAddr::V4(a)) => der::tlv(0x87, &a.octets()),
            San::Ip(std::net::IpAddr::V6(a)) => der::tlv(0x87, &a.octets()),
        })
        .collect();
    let refs: Vec<&[u8]> = names.iter().map(Vec::as_slice).collect();
    der::seq(&refs)
}

/// The key identifier of RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT
/// STRING's bits. Falls back to the SHA-1 of the whole SPKI if it cannot be walked (never
/// for the keys this module makes).
fn key_id(spki: &[u8]) -> Vec<u8> {
    use ::der::Decode;
    match spki::SubjectPublicKeyInfoRef::from_der(spki) {
        Ok(info) => Sha1::digest(info.subject_public_key.raw_bytes()).to_vec(),
        Err(_) => Sha1::digest(spki).to_vec(),
    }
}
