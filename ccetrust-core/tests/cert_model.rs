//! The certificate model on fixtures made by openssl (tests/data/certs/gen.sh): every shape
//! an administrator is handed loads to the same certificate, flags and CSR checks are right,
//! and bad input gives a typed error that says where.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

mod tool_support;

use std::path::{Path, PathBuf};

use ccetrust::cert::{pkcs7, ParseError};
use ccetrust::{load, load_certificates, Certificate, CertificateRequest};

fn data(name: &str) -> Vec<u8> {
    std::fs::read(dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/certs")
}

fn one(name: &str) -> Certificate {
    let mut v = load_certificates(&data(name)).unwrap();
    assert_eq!(v.len(), 1, "{name}");
    v.remove(0)
}

#[test]
fn every_shape_loads_the_same_certificate() {
    let reference = one("finesse.pem");
    for name in ["finesse.der", "finesse-crlf.cer"] {
        assert_eq!(one(name), reference, "{name}");
    }
    // pkcs12 -nokeys output: "Bag Attributes" text, leaf and issuing CA.
    let bag = load_certificates(&data("bag-attributes.pem")).unwrap();
    assert!(bag.contains(&reference));
    assert_eq!(bag.len(), 2);
    // PKCS#7 in DER and PEM holds the three certificates of chain.pem.
    let chain = load_certificates(&data("chain.pem")).unwrap();
    assert_eq!(chain.len(), 3);
    for name in ["chain.p7b", "chain-pem.p7b"] {
        let mut got = load_certificates(&data(name)).unwrap();
        let mut want = chain.clone();
        got.sort_by_key(|c| c.sha256());
        want.sort_by_key(|c| c.sha256());
        assert_eq!(got, want, "{name}");
    }
    // TRUSTED CERTIFICATE: OpenSSL appends trust settings after the certificate.
    assert_eq!(one("root-trusted.pem"), one("root.pem"));
    assert_eq!(one("iis-x509-label.pem"), one("iis.pem"));
    assert_eq!(one("subject-lines.pem"), one("iis.pem"));
}

#[test]
fn bare_base64_body_loads() {
    let pem = String::from_utf8(data("iis.pem")).unwrap();
    let body: String = pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(
        load_certificates(body.as_bytes()).unwrap()[0],
        one("iis.pem")
    );
}

#[test]
fn self_signed_and_self_issued_flags() {
    for name in [
        "root.pem",
        "iis.pem",
        "ec256.pem",
        "ec384.pem",
        "pss.pem",
        "weak.pem",
        "critical.pem",
    ] {
        let c = one(name);
        assert!(c.is_self_issued(), "{name} self-issued");
        assert!(c.is_self_signed(), "{name} self-signed");
    }
    for name in ["finesse.pem", "issuing.pem"] {
        let c = one(name);
        assert!(!c.is_self_issued(), "{name}");
        assert!(!c.is_self_signed(), "{name}");
    }
    let chain = load_certificates(&data("chain.pem")).unwrap();
    assert!(
        chain[0].verify_signed_by(&chain[1]).is_ok(),
        "leaf signed by issuing CA"
    );
    assert!(
        chain[1].verify_signed_by(&chain[2]).is_ok(),
        "issuing CA signed by root"
    );
    assert!(
        chain[0].verify_signed_by(&chain[2]).is_err(),
        "leaf not signed by root"
    );
}

#[test]
fn fields_of_the_finesse_leaf() {
    let c = one("finesse.pem");
    assert_eq!(c.version(), 3);
    assert_eq!(c.common_name().as_deref(), Some("finesse-a.example.local"));
    assert_eq!(c.public_key().describe(), "RSA 2048");
    assert!(!c.is_ca());
    assert_eq!(c.extended_key_usage(), vec!["serverAuth", "clientAuth"]);
    let san = c.subject_alt_names();
    assert_eq!(san.dns.len(), 3);
    assert_eq!(san.ip.len(), 2);
    assert_eq!(san.email, vec!["uccx-admin@example.local"]);
    assert_eq!(san.uri.len(), 1);
    // The Microsoft template-name extension is unknown to most tools: listed, not fatal.
    assert!(c
        .extension_list()
        .iter()
        .any(|e| e.oid.to_string() == "1.3.6.1.4.1.311.20.2" && !e.critical));
    let issuing = one("issuing.pem");
    assert_eq!(
        c.authority_key_id()
            .and_then(|a| a.key_id.clone())
            .as_deref(),
        issuing.subject_key_id()
    );
    assert_eq!(issuing.path_len(), Some(0));
    assert_eq!(
        issuing.ca_issuers_urls(),
        ["http://pki.example.local/root.crt"]
    );
    assert_eq!(issuing.ocsp_urls(), ["http://ocsp.example.local"]);
    assert_eq!(issuing.crl_urls(), ["http://pki.example.local/root.crl"]);
    // A critical private extension is listed with its flag.
    let crit = one("critical.pem");
    assert!(crit
        .extension_list()
        .iter()
        .any(|e| e.oid.to_string() == "1.2.3.4.5.6" && e.critical));
    assert_eq!(one("ec384.pem").public_key().describe(), "EC P-384");
    assert_eq!(one("ed25519.pem").public_key().algorithm, "Ed25519");
}

#[test]
fn csr_fields_signature_and_comparison() {
    let loaded = load(&data("finesse.csr")).unwrap();
    assert_eq!(loaded.csrs.len(), 1);
    let csr = &loaded.csrs[0];
    assert!(csr.signature_valid());
    assert_eq!(
        csr.requested_sans().dns,
        vec!["finesse-a.example.local", "finesse-a"]
    );
    assert_eq!(csr.public_key().describe(), "RSA 2048");
    // The same request in DER.
    let der = CertificateRequest::from_der(&data("finesse-csr.der")).unwrap();
    assert_eq!(der.der(), csr.der());

    // The CA added a www. name, IPs, an e-mail and a URI: VOS rejects this upload.
    let cmp = csr.compare(&one("finesse.pem"));
    assert!(cmp
        .san_added
        .contains(&"www.finesse-a.example.local".to_string()));
    assert!(cmp.san_added.contains(&"10.10.20.31".to_string()));
    assert!(cmp.san_added.contains(&"fd00::31".to_string()));
    assert!(cmp.san_missing.is_empty());
    assert!(cmp.key_match);
    assert!(cmp.subject_equal);
    assert!(!cmp.matches());

    // A certificate for another key.
    let other = csr.compare(&one("iis.pem"));
    assert!(!other.key_match);
    assert!(!other.subject_equal);
    assert_eq!(
        other.san_missing,
        vec!["finesse-a.example.local", "finesse-a"]
    );

    // A tampered signature no longer verifies.
    let mut bytes = der.der().to_vec();
    let n = bytes.len();
    bytes[n - 5] ^= 0x01;
    let tampered = CertificateRequest::from_der(&bytes).unwrap();
    assert!(!tampered.signature_valid());
}

#[test]
fn pkcs7_written_by_us_is_read_by_openssl() {
    let chain = load_certificates(&data("chain.pem")).unwrap();
    let p7 = pkcs7::encode(&chain);
    assert_eq!(pkcs7::certificates(&p7).unwrap(), chain);
    let Ok(_) = std::process::Command::new("openssl")
        .arg("version")
        .output()
    else {
        tool_support::missing("`openssl` is not on PATH, needed for the PKCS#7 read-back");
        return;
    };
    let path = std::env::temp_dir().join(format!("ccetrust-p7-{}.p7b", std::process::id()));
    std::fs::write(&path, &p7).unwrap();
    let out = std::process::Command::new("openssl")
        .args(["pkcs7", "-inform", "DER", "-print_certs", "-noout", "-in"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.matches("subject=").count(), 3, "{text}");
}

// ---- bad input: typed errors that say what and where, never a panic ----

#[test]
fn empty_input() {
    assert_eq!(load(b"").unwrap_err(), ParseError::Empty);
    assert_eq!(load(b"  \r\n ").unwrap_err(), ParseError::Empty);
}

#[test]
fn every_truncation_is_an_error_with_an_offset() {
    let der = data("finesse.der");
    for cut in 1..der.len() {
        let err = Certificate::from_der(&der[..cut]).unwrap_err();
        assert!(err.offset().is_some(), "cut at {cut}: {err}");
        assert!(
            err.offset().unwrap() <= cut,
            "cut at {cut}: offset past input"
        );
    }
}

#[test]
fn length_past_the_end_names_the_offset() {
    let mut der = data("finesse.der");
    // The TBSCertificate's length (offset 4..8: 30 82 xx xx 30 82 yy yy) made too large.
    der[6] = 0xff;
    let err = Certificate::from_der(&der).unwrap_err();
    assert_eq!(err.offset(), Some(5), "{err}");
    assert!(err.to_string().contains("runs past the end"), "{err}");
}

#[test]
fn trailing_garbage_is_refused() {
    let mut der = data("finesse.der");
    der.extend_from_slice(&[0, 0]);
    let err = Certificate::from_der(&der).unwrap_err();
    assert!(err.to_string().contains("trailing"), "{err}");
}

#[test]
fn broken_base64_names_the_line() {
    let pem = String::from_utf8(data("subject-lines.pem")).unwrap();
    let broken = pem.replacen("MII", "M*I", 1);
    match load(broken.as_bytes()).unwrap_err() {
        ParseError::Pem { line, label, .. } => {
            assert_eq!(line, 3);
            assert_eq!(label, "CERTIFICATE");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_private_key_where_a_certificate_was_expected() {
    let err = load_certificates(&data("iis.key")).unwrap_err();
    assert!(matches!(err, ParseError::WrongKind { .. }), "{err:?}");
    assert!(err.to_string().contains("private key"), "{err}");
    // and as DER
    let pem = ccetrust::cert::pem::parse_blocks(&data("iis.key")).unwrap();
    let err = load_certificates(&pem[0].der).unwrap_err();
    assert!(err.to_string().contains("private key (PKCS#8)"), "{err}");
}

#[test]
fn random_text_is_unknown_encoding() {
    assert_eq!(
        load(b"hello, this is not a certificate!").unwrap_err(),
        ParseError::UnknownEncoding
    );
}

#[test]
fn a_broken_certificate_inside_a_bundle_says_which() {
    let mut p7 = data("chain.p7b");
    // Damage the second certificate's signature algorithm OID tag.
    let certs = load_certificates(&p7).unwrap();
    let second = certs[1].der();
    let at = p7.windows(second.len()).position(|w| w == second).unwrap();
    p7[at + 4] = 0x04; // the TBSCertificate SEQUENCE tag becomes an OCTET STRING
    let err = load(&p7).unwrap_err();
    assert!(err.to_string().contains("PKCS#7 certificate 2"), "{err}");
    assert_eq!(err.offset(), Some(at + 4), "{err}");
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Anything at all: an error or a result, never a panic.
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = load(&bytes);
            let _ = Certificate::from_der(&bytes);
            let _ = CertificateRequest::from_der(&bytes);
        }

        /// A certificate with one byte changed: an error or a certificate, never a panic;
        /// if it parses, its fingerprint is that of the changed bytes.
        #[test]
        fn flipped_byte(pos in 0usize..1500, bit in 0u8..8) {
            let mut der = data("finesse.der");
            let p = pos % der.len();
            der[p] ^= 1 << bit;
            if let Ok(c) = Certificate::from_der(&der) {
                prop_assert_eq!(c.der(), &der[..]);
            }
        }

        /// PEM armour round trip for any content and any label we read.
        #[test]
        fn pem_round_trip(body in proptest::collection::vec(any::<u8>(), 1..600)) {
            let text = ccetrust::cert::pem::encode("CERTIFICATE", &body);
            let crlf = text.replace('\n', "\r\n");
            for t in [text, crlf] {
                let blocks = ccetrust::cert::pem::parse_blocks(t.as_bytes()).unwrap();
                prop_assert_eq!(blocks.len(), 1);
                prop_assert_eq!(&blocks[0].der, &body);
            }
        }

        /// PKCS#7 bundles of any subset of the fixtures round-trip in order.
        #[test]
        fn pkcs7_round_trip(mask in 0u8..8) {
            let chain = load_certificates(&data("chain.pem")).unwrap();
            let subset: Vec<Certificate> =
                chain.into_iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, c)| c).collect();
            let p7 = pkcs7::encode(&subset);
            prop_assert_eq!(pkcs7::certificates(&p7).unwrap(), subset);
        }
    }
}
