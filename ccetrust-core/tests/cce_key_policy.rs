//! `key.algorithm` follows the product release and the role (`KeyPolicy::for_product`,
//! `ECDSA_SUPPORT` in `cce/catalog.rs`): 12.5 wants RSA everywhere; the UCCE/PCCE Security
//! Guide for 12.6(1) and 15.0(1) lists ECDSA as supported on CVP, Finesse, Cloud Connect, CUIC,
//! VVB, IdS and ECE (15.0 also on the CTI server), and nowhere else. One openssl-made P-256
//! certificate (`tests/data/cce/ss/bad-ec.pem`, made by `tests/data/cce/gen.sh`) on each role.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

mod cce_support;

use cce_support::*;
use ccetrust::cce::Code;

/// One row: (product, version, roles, service, key.algorithm expected, rule).
type Case = (
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
    bool,
    &'static str,
);

const CASES: &[Case] = &[
    (
        "pcce",
        "12.5",
        &["finesse"],
        "tomcat",
        true,
        "12.5: RSA 2048 + SHA-256",
    ),
    (
        "ucce",
        "12.5(1)",
        &["cvp"],
        "wsm",
        true,
        "CVP 12.5: RSA 2048",
    ),
    (
        "pcce",
        "12.6",
        &["finesse"],
        "tomcat",
        false,
        "12.6(1) Security Guide: Finesse",
    ),
    (
        "pcce",
        "12.6(1)",
        &["cuic"],
        "tomcat",
        false,
        "12.6(1) Security Guide: CUIC",
    ),
    (
        "ucce",
        "12.6(2)",
        &["cvp"],
        "wsm",
        false,
        "12.6 Security Guide: CVP",
    ),
    (
        "pcce",
        "12.6",
        &["vvb"],
        "tomcat",
        false,
        "12.6 Security Guide: VVB",
    ),
    (
        "pcce",
        "12.6",
        &["ids"],
        "tomcat",
        false,
        "12.6 Security Guide: IdS",
    ),
    (
        "pcce",
        "12.6",
        &["cloudconnect"],
        "tomcat",
        false,
        "12.6 Security Guide: Cloud Connect",
    ),
    (
        "pcce",
        "12.6",
        &["ece-web"],
        "iis",
        false,
        "12.6 Security Guide: ECE",
    ),
    (
        "pcce",
        "12.6",
        &["aw"],
        "iis",
        true,
        "12.6 Security Guide: the AW is not listed",
    ),
    (
        "pcce",
        "12.6",
        &["pg", "cti"],
        "cti",
        true,
        "12.6 Security Guide: the CTI server is not listed",
    ),
    (
        "pcce",
        "15.0(1)",
        &["finesse"],
        "tomcat",
        false,
        "15.0(1) Security Guide: Finesse",
    ),
    (
        "ucce",
        "15.0",
        &["pg", "cti"],
        "cti",
        false,
        "15.0(1) Security Guide: the CTI server's ECDSA certificate",
    ),
    (
        "ucce",
        "15.0",
        &["rogger"],
        "dfp",
        true,
        "15.0(1) Security Guide: the Rogger is not listed",
    ),
];

#[test]
fn ecdsa_is_accepted_where_the_release_supports_it_on_that_role() {
    for (product, version, roles, svc, expected, rule) in CASES {
        let fqdn = "bad.t.example.com";
        let mut lab = Lab::new(product, version, "");
        lab.host(H {
            fqdn,
            roles,
            extra: "",
            presents: &[(svc, "ss/bad-ec.pem")],
            stores: &[],
        });
        let (_, a, _) = lab.audit();
        let found: Vec<_> = a.with_code(Code::KeyAlgorithm).collect();
        assert_eq!(
            !found.is_empty(),
            *expected,
            "{product} {version} {roles:?} {svc}: {rule}: {:?}",
            codes(&a)
        );
        if let Some(f) = found.first() {
            assert!(f.message.contains("EC P-256"), "{}", f.message);
            assert!(f.message.contains("accepts only RSA"), "{}", f.message);
        }
    }
}
