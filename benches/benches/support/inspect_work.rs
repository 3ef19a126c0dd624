//! The work each contender of the inspect bench does per certificate: parse, then read
//! subject, issuer, serial, validity, SANs, public key, signature algorithm, basic
//! constraints, key usage, extended key usage, the extension list and the SHA-256
//! fingerprint. Shared by `benches/inspect.rs` and `examples/profile_inspect_all.rs` (as
//! `#[path]` modules), so the profiled work is the benched work.

#![allow(dead_code)] // the profiling example uses two of the three contenders

use sha2::{Digest, Sha256};

pub fn ccetrust_inspect(der: &[u8]) -> usize {
    let Ok(c) = ccetrust::Certificate::from_der(der) else {
        return 0;
    };
    let mut n = c.subject().to_rfc4514().len() + c.issuer().to_rfc4514().len();
    n += c.serial_hex().len();
    n += (c.not_before().unix() ^ c.not_after().unix()) as usize & 1;
    n += c.san().map(|s| s.dns.len() + s.ip.len()).unwrap_or(0);
    n += c.public_key().bits.unwrap_or(0) as usize;
    n += c.signature_algorithm().len();
    n += c.is_ca() as usize + c.path_len().unwrap_or(0) as usize;
    n += c.key_usage().map(|k| k.bits() as usize).unwrap_or(0);
    n += c.extended_key_usage().len();
    n += c.extension_list().len();
    n + c.sha256()[0] as usize
}

pub fn x509_parser_inspect(der: &[u8]) -> usize {
    use x509_parser::prelude::*;
    let Ok((_, c)) = parse_x509_certificate(der) else {
        return 0;
    };
    let mut n = c.subject().to_string().len() + c.issuer().to_string().len();
    n += c.raw_serial_as_string().len();
    n += (c.validity().not_before.timestamp() ^ c.validity().not_after.timestamp()) as usize & 1;
    if let Ok(Some(san)) = c.subject_alternative_name() {
        n += san.value.general_names.len();
    }
    if let Ok(pk) = c.public_key().parsed() {
        n += pk.key_size();
    }
    n += c.signature_algorithm.algorithm.to_id_string().len();
    if let Ok(Some(bc)) = c.basic_constraints() {
        n += bc.value.ca as usize;
    }
    if let Ok(Some(ku)) = c.key_usage() {
        n += ku.value.flags as usize;
    }
    if let Ok(Some(eku)) = c.extended_key_usage() {
        n += eku.value.server_auth as usize + eku.value.other.len();
    }
    n += c.extensions().len();
    n + Sha256::digest(der)[0] as usize
}

pub fn x509_cert_inspect(der: &[u8]) -> usize {
    use der::Decode;
    use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAltName};
    let Ok(c) = x509_cert::Certificate::from_der(der) else {
        return 0;
    };
    let tbs = c.tbs_certificate();
    let mut n = tbs.subject().to_string().len() + tbs.issuer().to_string().len();
    n += tbs.serial_number().as_bytes().len();
    n += (tbs.validity().not_before.to_unix_duration().as_secs()
        ^ tbs.validity().not_after.to_unix_duration().as_secs()) as usize
        & 1;
    if let Ok(Some((_, san))) = tbs.get_extension::<SubjectAltName>() {
        n += san.0.len();
    }
    n += tbs
        .subject_public_key_info()
        .subject_public_key
        .raw_bytes()
        .len();
    n += c.signature_algorithm().oid.to_string().len();
    if let Ok(Some((_, bc))) = tbs.get_extension::<BasicConstraints>() {
        n += bc.ca as usize;
    }
    if let Ok(Some((_, ku))) = tbs.get_extension::<KeyUsage>() {
        n += ku.0.bits() as usize;
    }
    if let Ok(Some((_, eku))) = tbs.get_extension::<ExtendedKeyUsage>() {
        n += eku.0.len();
    }
    n += tbs.extensions().map(|e| e.len()).unwrap_or(0);
    n + Sha256::digest(der)[0] as usize
}

/// Issue 17's first row: parse, subject and issuer as RFC 4514 text, notAfter, SAN DNS
/// names, key bits and the SHA-256 fingerprint.
pub fn ccetrust_row(der: &[u8]) -> usize {
    let Ok(c) = ccetrust::Certificate::from_der(der) else {
        return 0;
    };
    let mut n = c.subject().to_rfc4514().len() + c.issuer().to_rfc4514().len();
    n += c.not_after().unix() as usize & 1;
    n += c
        .san()
        .map(|s| s.dns.iter().map(|d| d.len()).sum())
        .unwrap_or(0);
    n += c.public_key().bits.unwrap_or(0) as usize;
    n + c.sha256()[0] as usize
}

/// The same work with x509-parser (its `Display` of names, which is not RFC 4514: attribute
/// strings in order, no escaping by the RFC's rules).
pub fn x509_parser_row(der: &[u8]) -> usize {
    use x509_parser::prelude::*;
    let Ok((_, c)) = parse_x509_certificate(der) else {
        return 0;
    };
    let mut n = c.subject().to_string().len() + c.issuer().to_string().len();
    n += c.validity().not_after.timestamp() as usize & 1;
    if let Ok(Some(san)) = c.subject_alternative_name() {
        for g in &san.value.general_names {
            if let GeneralName::DNSName(d) = g {
                n += d.len();
            }
        }
    }
    if let Ok(pk) = c.public_key().parsed() {
        n += pk.key_size();
    }
    n + Sha256::digest(der)[0] as usize
}
