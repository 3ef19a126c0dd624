//! Unit tests of the lifecycle module: options, the role rules, and the fields of what is
//! made (read back with the crate's own parser; the tests in `tests/lifecycle.rs` check
//! them again with openssl and keytool).

use super::rules::check_role;
use super::*;

fn spec(alg: KeyAlgorithm, bits: u32) -> KeySpec {
    KeySpec {
        algorithm: alg,
        bits,
    }
}

/// The role table: CCE-TRUST.md `key.algorithm` / `key.too-small`.
#[test]
fn role_rules_refuse_what_the_release_rejects() {
    let cases: &[(&str, &str, &str, KeySpec, bool)] = &[
        ("cvp", "pcce", "12.5", spec(KeyAlgorithm::Ec, 256), false),
        ("cvp", "pcce", "12.5", spec(KeyAlgorithm::Rsa, 2048), true),
        ("cvp", "pcce", "12.5", spec(KeyAlgorithm::Rsa, 1024), false),
        ("cvp", "pcce", "12.6", spec(KeyAlgorithm::Ec, 256), true),
        ("uccx", "uccx", "12.5", spec(KeyAlgorithm::Rsa, 4096), false),
        ("uccx", "uccx", "12.5", spec(KeyAlgorithm::Rsa, 2048), true),
    ];
    for (role, product, version, s, ok) in cases {
        let r = check_role(role, product, version, *s);
        assert_eq!(r.is_ok(), *ok, "{role} {product} {version} {s:?}: {r:?}");
        if let Err(e) = r {
            assert_eq!(e.code(), "refused");
            assert!(e.to_string().contains("key."), "{e}");
        }
    }
    let Err(e) = check_role("nonsense", "pcce", "12.5", spec(KeyAlgorithm::Rsa, 2048)) else {
        panic!("unknown role accepted")
    };
    assert_eq!(e.code(), "option");
}

#[test]
fn key_sizes_are_checked() {
    assert!(KeySpec::new(KeyAlgorithm::Rsa, Some(1024)).is_err());
    assert!(KeySpec::new(KeyAlgorithm::Ec, Some(521)).is_err());
    assert_eq!(
        KeySpec::new(KeyAlgorithm::Ec, None).map(|s| s.bits).ok(),
        Some(256)
    );
}

#[test]
fn sans_and_fqdn_are_validated() {
    assert_eq!(
        San::parse("IP:10.0.0.1").ok(),
        "10.0.0.1".parse().ok().map(San::Ip)
    );
    assert_eq!(
        San::parse("DNS:Cvp.Example.COM").ok(),
        Some(San::Dns("cvp.example.com".into()))
    );
    assert!(San::parse("bad_name.example.com").is_err());
    assert!(check_fqdn("cvp").is_err());
    assert!(check_fqdn("*.example.com").is_err());
    assert_eq!(
        check_fqdn("CVP.example.com.").ok().as_deref(),
        Some("cvp.example.com")
    );
}

#[test]
fn subject_attributes_parse_in_order_and_refuse_cn() {
    let Ok(s) = Subject::new("a.example.com", vec![], Eku::Server) else {
        panic!("subject")
    };
    let Ok(s) = s.with_attributes(r"O=Example\, Inc,OU=CC,C=US") else {
        panic!("attributes")
    };
    assert_eq!(
        s.attributes,
        vec![
            ("O".to_string(), "Example, Inc".to_string()),
            ("OU".into(), "CC".into()),
            ("C".into(), "US".into())
        ]
    );
    let Ok(s2) = Subject::new("a.example.com", vec![], Eku::Server) else {
        panic!("subject")
    };
    assert!(s2.clone().with_attributes("CN=x").is_err());
    assert!(s2.with_attributes("C=USA").is_err());
}

/// RFC 5280 §4.2.1.12 and the issue's field list, read back by the crate's parser.
#[test]
fn self_signed_ec_has_the_fields_asked() {
    let Ok(key) = KeyPair::generate(spec(KeyAlgorithm::Ec, 256)) else {
        panic!("keygen")
    };
    assert_eq!(format!("{key:?}"), "KeyPair(EC P-256)");
    let sans = vec![
        San::Dns("alt.example.com".into()),
        San::parse("IP:192.0.2.7").unwrap_or(San::Dns("x".into())),
    ];
    let Ok(subject) = Subject::new("host.example.com", sans, Eku::ServerClient) else {
        panic!("subject")
    };
    let cert = match self_signed(&key, &subject, DEFAULT_VALIDITY_DAYS) {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(cert.common_name().as_deref(), Some("host.example.com"));
    assert!(cert.is_self_signed());
    assert!(!cert.is_ca());
    assert_eq!(cert.serial().len(), 16);
    let days = (cert.not_after().unix() - cert.not_before().unix()) / 86_400;
    assert_eq!(days, 1825);
    let ekus = cert.extended_key_usage();
    assert_eq!(ekus.len(), 2, "{ekus:?}");
    // The CSR asks for exactly the SANs given: without the FQDN among them, the certificate
    // (which repeats it) has one more, which `csr compare` reports.
    let Ok(csr) = new_csr(&key, &subject) else {
        panic!("csr")
    };
    assert!(csr.signature_valid());
    assert_eq!(
        csr.compare(&cert).san_added,
        vec!["host.example.com".to_string()]
    );
    let mut with_fqdn = subject.clone();
    with_fqdn
        .sans
        .insert(0, San::Dns("host.example.com".into()));
    let Ok(csr) = new_csr(&key, &with_fqdn) else {
        panic!("csr")
    };
    assert!(csr.compare(&cert).matches(), "{:?}", csr.compare(&cert));
}
