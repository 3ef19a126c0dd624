//! One test per rule of CCE-TRUST.md §3 (and ccetrust's hygiene codes): each builds the
//! smallest deployment that breaks the rule with openssl-made certificates, checks the finding
//! (code, severity, host, fingerprint) and, where a rule has a passing twin, that the twin is
//! silent.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

mod cce_support;

use cce_support::*;
use ccetrust::cce::{Code, Severity, StepKind};

const D: &str = "t.example.com";

fn one_host(
    product: &str,
    version: &str,
    fqdn: &str,
    roles: &[&str],
    svc: &str,
    file: &str,
) -> Lab {
    let mut lab = Lab::new(product, version, "");
    lab.host(H {
        fqdn,
        roles,
        extra: "",
        presents: &[(svc, file)],
        stores: &[],
    });
    lab
}

#[test]
fn name_not_fqdn() {
    let (_, a, _) = one_host("pcce", "12.5", "bad", &["aw"], "iis", "ss/bad-short.pem").audit();
    let f = a.with_code(Code::NameNotFqdn).next().expect("finding");
    assert_eq!(f.host, "bad");
    assert_eq!(f.severity, Severity::Error);
    let (_, a, _) = one_host(
        "pcce",
        "12.5",
        "10.0.0.5",
        &["aw"],
        "iis",
        "ss/bad-short.pem",
    )
    .audit();
    assert!(a
        .with_code(Code::NameNotFqdn)
        .next()
        .unwrap()
        .message
        .contains("IP address"));
    let (_, a, _) = one_host(
        "pcce",
        "12.5",
        "awa.t.example.com",
        &["aw"],
        "iis",
        "ss/awa.pem",
    )
    .audit();
    assert!(!has(&a, Code::NameNotFqdn), "{:?}", codes(&a));
}

#[test]
fn name_mismatch() {
    let (_, a, p) = one_host(
        "pcce",
        "12.5",
        "bad.t.example.com",
        &["rogger"],
        "iis",
        "ss/bad-mismatch.pem",
    )
    .audit();
    let f = a.with_code(Code::NameMismatch).next().expect("finding");
    assert!(f.message.contains("old.t.example.com"), "{}", f.message);
    assert_eq!(
        f.sha256.as_deref(),
        Some(cert("ss/bad-mismatch.pem").sha256_hex().as_str())
    );
    assert!(p
        .steps()
        .any(|(_, s)| s.kind == StepKind::Reissue && s.fixes.contains(&Code::NameMismatch)));
    let (_, a, _) = one_host(
        "pcce",
        "12.5",
        "awa.t.example.com",
        &["aw"],
        "iis",
        "ss/awa.pem",
    )
    .audit();
    assert!(!has(&a, Code::NameMismatch));
}

#[test]
fn cn_not_in_san_is_an_error_where_browsers_look() {
    let bad = format!("bad.{D}");
    let (_, a, _) = one_host("pcce", "12.5", &bad, &["aw"], "iis", "ss/bad-nosan.pem").audit();
    let f = a.with_code(Code::NameCnNotInSan).next().expect("finding");
    assert_eq!(f.severity, Severity::Warning);
    assert!(f.message.contains("no DNS subjectAltName"));
    let mut lab = Lab::new("pcce", "12.5", "");
    lab.host(H {
        fqdn: &bad,
        roles: &["finesse"],
        extra: "",
        presents: &[("tomcat", "ss/bad-nosan.pem")],
        stores: &[],
    });
    let (_, a, _) = lab.audit();
    let f = a.with_code(Code::NameCnNotInSan).next().expect("finding");
    assert_eq!(f.severity, Severity::Error);
    assert!(f.message.contains("browsers"), "{}", f.message);
    assert!(!has(&a, Code::NameMismatch), "Java clients accept the CN");
}

/// Issue 11, point 4: DNS SANs without the host's FQDN fail every Java client (JSSE ignores
/// the CN when a DNS SAN is present, RFC 6125 §6.4.4) and every browser: `name.mismatch`,
/// naming the deployment's clients that break; not `name.cn-not-in-san`, which is kept for a
/// certificate whose FQDN matches only through the CN.
#[test]
fn dns_sans_without_the_fqdn_are_a_name_mismatch_naming_the_clients() {
    let bad = format!("bad.{D}");
    let mut lab = Lab::new("pcce", "12.5", "");
    lab.host(H {
        fqdn: &bad,
        roles: &["finesse"],
        extra: "",
        // CN=bad.t.example.com, DNS SAN alias.t.example.com only.
        presents: &[("tomcat", "ss/bad-cn-not-in-san.pem")],
        stores: &[],
    });
    lab.host(H {
        fqdn: &format!("awa.{D}"),
        roles: &["aw"],
        extra: "",
        presents: &[("iis", "ss/awa.pem")],
        stores: &[],
    });
    lab.host(H {
        fqdn: &format!("agents.{D}"),
        roles: &["desktop"],
        extra: "",
        presents: &[],
        stores: &[],
    });
    let (_, a, _) = lab.audit();
    let f: Vec<_> = a.with_code(Code::NameMismatch).collect();
    assert_eq!(f.len(), 1, "{:#?}", a.findings);
    assert_eq!(
        (f[0].host.as_str(), f[0].severity),
        (bad.as_str(), Severity::Error)
    );
    let m = &f[0].message;
    assert!(
        m.contains("alias.t.example.com") && m.contains("ignore the CN"),
        "{m}"
    );
    // The clients that break: the AWs' CCE Administration and the agents' browsers.
    assert!(m.contains("AW/ADS (CCE Administration"), "{m}");
    assert!(m.contains("Agent/supervisor desktop"), "{m}");
    assert!(!has(&a, Code::NameCnNotInSan), "{:?}", codes(&a));
    // The relationships fail as the finding says.
    assert!(a
        .edges
        .iter()
        .filter(|e| e.exporter == 0)
        .all(|e| e.status != ccetrust::cce::EdgeStatus::Trusted));
}

#[test]
fn key_too_small_follows_the_product() {
    let bad = format!("bad.{D}");
    let (_, a, _) = one_host("pcce", "12.5", &bad, &["aw"], "iis", "ss/bad-rsa1024.pem").audit();
    assert!(a
        .with_code(Code::KeyTooSmall)
        .next()
        .unwrap()
        .message
        .contains("1024"));
    // UCCX accepts only 1024 or 2048.
    let (_, a, _) = one_host(
        "uccx",
        "12.0",
        &bad,
        &["uccx"],
        "tomcat",
        "ss/bad-rsa1024.pem",
    )
    .audit();
    assert!(!has(&a, Code::KeyTooSmall), "{:?}", codes(&a));
    let (_, a, _) = one_host(
        "uccx",
        "12.0",
        &bad,
        &["uccx"],
        "tomcat",
        "ss/bad-rsa4096.pem",
    )
    .audit();
    assert!(has(&a, Code::KeyTooSmall));
    let (_, a, _) = one_host("pcce", "12.5", &bad, &["aw"], "iis", "ss/bad-rsa4096.pem").audit();
    assert!(!has(&a, Code::KeyTooSmall));
}

#[test]
fn key_algorithm_ecdsa_only_as_uccx_11_5_tomcat_ecdsa() {
    let bad = format!("bad.{D}");
    let (_, a, _) = one_host("pcce", "12.5", &bad, &["aw"], "iis", "ss/bad-ec.pem").audit();
    assert!(a
        .with_code(Code::KeyAlgorithm)
        .next()
        .unwrap()
        .message
        .contains("EC P-256"));
    let (_, a, _) = one_host(
        "uccx",
        "11.5",
        &bad,
        &["uccx"],
        "tomcat-ecdsa",
        "ss/bad-ec.pem",
    )
    .audit();
    assert!(!has(&a, Code::KeyAlgorithm), "{:?}", codes(&a));
    let (_, a, _) = one_host(
        "uccx",
        "11.6",
        &bad,
        &["uccx"],
        "tomcat-ecdsa",
        "ss/bad-ec.pem",
    )
    .audit();
    assert!(has(&a, Code::KeyAlgorithm));
}

#[test]
fn sig_weak_hash() {
    let (_, a, _) = one_host(
        "pcce",
        "12.5",
        &format!("bad.{D}"),
        &["aw"],
        "iis",
        "ss/bad-sha1.pem",
    )
    .audit();
    assert!(a
        .with_code(Code::SigWeakHash)
        .next()
        .unwrap()
        .message
        .contains("sha1WithRSAEncryption"));
    let (_, a, _) = one_host(
        "pcce",
        "12.5",
        &format!("awa.{D}"),
        &["aw"],
        "iis",
        "ss/awa.pem",
    )
    .audit();
    assert!(!has(&a, Code::SigWeakHash));
}

#[test]
fn ext_critical_unsupported_only_where_uccx_trusts_cucm() {
    let cucm = format!("cucm.{D}");
    let mut lab = Lab::new("uccx", "12.5", "");
    // UCCX's tomcat-trust holds CUCM's certificate: the chain is anchored, yet the
    // handshake fails on the critical EKU, and the edge says so.
    lab.host(H {
        fqdn: &format!("uccxa.{D}"),
        roles: &["uccx"],
        extra: "",
        presents: &[("tomcat", "ss/uccxa.pem")],
        stores: &[("tomcat-trust", "", &[("cucm", "ss/bad-critical-eku.pem")])],
    });
    lab.host(H {
        fqdn: &cucm,
        roles: &["cucm"],
        extra: "",
        presents: &[("tomcat", "ss/bad-critical-eku.pem")],
        stores: &[],
    });
    let (_, a, _) = lab.audit();
    let f = a
        .with_code(Code::ExtCriticalUnsupported)
        .next()
        .expect("finding");
    assert_eq!(f.host, cucm);
    assert!(f.message.contains("extendedKeyUsage"), "{}", f.message);
    let edges: Vec<_> = a
        .edges
        .iter()
        .filter(|e| e.service.key() == "tomcat" && e.code == "ext.critical-unsupported")
        .collect();
    assert_eq!(edges.len(), 1, "{:#?}", a.edges);
    assert_eq!(edges[0].status, ccetrust::cce::EdgeStatus::Failed);
    assert!(
        edges[0].reason.contains("extendedKeyUsage"),
        "{}",
        edges[0].reason
    );
    // The same certificate where no UCCX trusts it is fine.
    let (_, a, _) = one_host(
        "pcce",
        "12.5",
        &cucm,
        &["cucm"],
        "tomcat",
        "ss/bad-critical-eku.pem",
    )
    .audit();
    assert!(!has(&a, Code::ExtCriticalUnsupported));
}

#[test]
fn eku_missing_client_server_on_the_cti_server() {
    let (_, a, _) = one_host(
        "pcce",
        "12.5",
        &format!("pgb.{D}"),
        &["pg", "cti"],
        "cti",
        "ca/pgb-cti-serveronly.pem",
    )
    .audit();
    let f = a
        .with_code(Code::EkuMissingClientServer)
        .next()
        .expect("finding");
    assert!(f.message.contains("serverAuth"));
    let (_, a, _) = one_host(
        "pcce",
        "12.5",
        &format!("pga.{D}"),
        &["pg", "cti"],
        "cti",
        "ca/pga-cti.pem",
    )
    .audit();
    assert!(!has(&a, Code::EkuMissingClientServer));
}

/// Finesse is the CTI server's TLS client and server: where a CTI server is in the deployment,
/// Finesse's tomcat certificate needs both EKUs too; without one, its serverAuth-only
/// certificate breaks nothing.
#[test]
fn eku_missing_client_server_on_finesse_when_a_cti_server_is_in_use() {
    let bad = format!("bad.{D}");
    let finesse = |file: &str, with_cti: bool| {
        let mut lab = Lab::new("pcce", "12.5", "");
        lab.host(H {
            fqdn: &bad,
            roles: &["finesse"],
            extra: "",
            presents: &[("tomcat", file)],
            stores: &[],
        });
        if with_cti {
            lab.host(H {
                fqdn: &format!("pga.{D}"),
                roles: &["pg", "cti"],
                extra: "",
                presents: &[("cti", "ca/pga-cti.pem")],
                stores: &[],
            });
        }
        lab.audit().1
    };
    let a = finesse("ss/bad-serveronly.pem", true);
    let f: Vec<_> = a.with_code(Code::EkuMissingClientServer).collect();
    assert_eq!(f.len(), 1, "{:?}", codes(&a));
    assert_eq!(f[0].host, bad);
    assert_eq!(f[0].service.map(|s| s.key()), Some("tomcat"));
    assert!(f[0].message.contains("[serverAuth]"), "{}", f[0].message);
    assert!(!has(
        &finesse("ss/bad-serveronly.pem", false),
        Code::EkuMissingClientServer
    ));
    let fina = format!("fina.{D}");
    let mut lab = Lab::new("pcce", "12.5", "");
    lab.host(H {
        fqdn: &fina,
        roles: &["finesse"],
        extra: "",
        presents: &[("tomcat", "ss/fina.pem")],
        stores: &[],
    });
    lab.host(H {
        fqdn: &format!("pga.{D}"),
        roles: &["pg", "cti"],
        extra: "",
        presents: &[("cti", "ca/pga-cti.pem")],
        stores: &[],
    });
    assert!(!has(&lab.audit().1, Code::EkuMissingClientServer));
}

#[test]
fn validity_expired_not_yet_and_expiring() {
    let c = cert("ss/bad-30days.pem");
    let lab = one_host(
        "pcce",
        "12.5",
        &format!("bad.{D}"),
        &["aw"],
        "iis",
        "ss/bad-30days.pem",
    );
    let (_, a, p) = lab.audit_at(c.not_after().plus_days(1), 60);
    assert!(has(&a, Code::ValidityExpired));
    assert!(p
        .steps()
        .any(|(_, s)| s.fixes.contains(&Code::ValidityExpired)));
    let (_, a, _) = lab.audit_at(c.not_before().plus_days(-1), 60);
    assert!(has(&a, Code::ValidityNotYet));
    let (_, a, _) = lab.audit_at(c.not_before().plus_days(1), 60);
    assert_eq!(
        a.with_code(Code::ValidityExpiring).next().unwrap().severity,
        Severity::Warning
    );
    let (_, a, _) = lab.audit_at(c.not_before().plus_days(1), 10);
    assert!(!has(&a, Code::ValidityExpiring), "{:?}", codes(&a));
}

#[test]
fn chain_untrusted_then_trusted_once_imported() {
    let awa = format!("awa.{D}");
    let rgra = format!("rgra.{D}");
    let mut lab = Lab::new("pcce", "12.5", "");
    lab.host(H {
        fqdn: &awa,
        roles: &["aw"],
        extra: "",
        presents: &[],
        stores: &[("cacerts", "", &[])],
    });
    lab.host(H {
        fqdn: &rgra,
        roles: &["rogger"],
        extra: "",
        presents: &[("iis", "ss/rgra.pem")],
        stores: &[],
    });
    let (_, a, p) = lab.audit();
    let f = a.with_code(Code::ChainUntrusted).next().expect("finding");
    assert_eq!(f.importer.as_deref(), Some(awa.as_str()));
    assert_eq!(f.exporter.as_deref(), Some(rgra.as_str()));
    assert_eq!(f.alias.as_deref(), Some("rgra.t.example.com_IIS"));
    assert!(f.message.contains("PKIX path building failed"));
    let import = p
        .steps()
        .find(|(_, s)| s.kind == StepKind::Import)
        .unwrap()
        .1;
    assert!(
        import
            .commands
            .iter()
            .any(|c| c.contains("-alias \"rgra.t.example.com_IIS\"")),
        "{:?}",
        import.commands
    );

    let mut lab = Lab::new("pcce", "12.5", "");
    lab.host(H {
        fqdn: &awa,
        roles: &["aw"],
        extra: "",
        presents: &[],
        stores: &[("cacerts", "", &[("rgra.t.example.com_IIS", "ss/rgra.pem")])],
    });
    lab.host(H {
        fqdn: &rgra,
        roles: &["rogger"],
        extra: "",
        presents: &[("iis", "ss/rgra.pem")],
        stores: &[],
    });
    let (_, a, p) = lab.audit();
    assert!(!has(&a, Code::ChainUntrusted), "{:?}", codes(&a));
    assert!(a
        .edges
        .iter()
        .any(|e| e.status == ccetrust::cce::EdgeStatus::Trusted));
    assert!(p.steps().all(|(_, s)| s.kind != StepKind::Import));
}

#[test]
fn chain_incomplete_when_the_server_sends_only_its_leaf() {
    let mut lab = Lab::new(
        "pcce",
        "12.5",
        &format!(
            "certificates = \"ca-signed\"\nca = ['{}', '{}']",
            data("ca/root.pem").display(),
            data("ca/issuing.pem").display()
        ),
    );
    lab.host(H {
        fqdn: &format!("awa.{D}"),
        roles: &["aw"],
        extra: "",
        presents: &[],
        stores: &[("cacerts", "", &[("test-root-ca", "ca/root.pem")])],
    });
    lab.host(H {
        fqdn: &format!("rgra.{D}"),
        roles: &["rogger"],
        extra: "",
        presents: &[("iis", "ca/rgra-leaf.pem")],
        stores: &[],
    });
    let (_, a, p) = lab.audit();
    assert!(has(&a, Code::ChainIncomplete), "{:?}", codes(&a));
    let imports: Vec<_> = p
        .steps()
        .filter(|(_, s)| s.kind == StepKind::Import)
        .collect();
    assert_eq!(imports.len(), 1, "only the intermediate is missing");
    assert!(
        imports[0]
            .1
            .title
            .contains("intermediate CA `test-issuing-ca`"),
        "{}",
        imports[0].1.title
    );
}

#[test]
fn csr_san_and_key_mismatch() {
    let uccxa = format!("uccxa.{D}");
    let run = |file: &str| {
        let mut lab = Lab::new("uccx", "12.5", "");
        let csr = format!(
            "[host.csr]\ntomcat = '{}'",
            data("csr/uccxa-tomcat.csr").display()
        );
        lab.host(H {
            fqdn: &uccxa,
            roles: &["uccx"],
            extra: "",
            presents: &[("tomcat", file)],
            stores: &[],
        });
        lab.toml.push_str(&csr);
        lab.audit().1
    };
    let a = run("csr/uccxa-san-added-chain.pem");
    assert!(a
        .with_code(Code::CsrSanMismatch)
        .next()
        .unwrap()
        .message
        .contains("www.uccxa.t.example.com"));
    assert!(!has(&a, Code::CsrKeyMismatch));
    let a = run("ss/uccxa.pem");
    assert!(has(&a, Code::CsrKeyMismatch));
    let a = run("csr/uccxa-exact-chain.pem");
    assert!(
        !has(&a, Code::CsrSanMismatch) && !has(&a, Code::CsrKeyMismatch),
        "{:?}",
        codes(&a)
    );
}

#[test]
fn store_wrong_type_for_a_cvp_keystore_declared_or_found_jks() {
    let mut lab = Lab::new("pcce", "12.5", "");
    lab.host(H {
        fqdn: &format!("cvpa.{D}"),
        roles: &["cvp"],
        extra: "",
        presents: &[],
        stores: &[("cvp-keystore", "format = \"jks\"", &[])],
    });
    let (_, a, _) = lab.audit();
    assert!(a
        .with_code(Code::StoreWrongType)
        .next()
        .unwrap()
        .message
        .contains("JCEKS"));
    let mut lab = Lab::new("pcce", "12.5", "");
    lab.host(H {
        fqdn: &format!("cvpa.{D}"),
        roles: &["cvp"],
        extra: "",
        presents: &[],
        stores: &[("cvp-keystore", "format = \"jceks\"", &[])],
    });
    assert!(!has(&lab.audit().1, Code::StoreWrongType));
    // Not declared, but the file itself is a JKS (keytool without -storetype JCEKS rewrote
    // it): the lab's AW cacerts, made by keytool, standing in as a CVP keystore.
    let jks = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/pcce-2k-lab/stores/awa/cacerts");
    let mut lab = Lab::new("pcce", "12.5", "");
    let pw = lab.dir.join("security.properties");
    std::fs::write(&pw, "Security.keystorePW = changeit\n").unwrap();
    lab.host(H {
        fqdn: &format!("cvpa.{D}"),
        roles: &["cvp"],
        extra: "",
        presents: &[],
        stores: &[],
    });
    lab.toml.push_str(&format!(
        "[[host.store]]\nkind = \"cvp-keystore\"\npath = '{}'\npassword_file = '{}'\n",
        jks.display(),
        pw.display()
    ));
    let (_, a, _) = lab.audit();
    let f = a.with_code(Code::StoreWrongType).next().expect("finding");
    assert!(f.message.contains("the file is jks"), "{}", f.message);
}

#[test]
fn store_duplicate_keeps_the_conventional_alias() {
    let mut lab = Lab::new("pcce", "12.5", "");
    lab.host(H {
        fqdn: &format!("awa.{D}"),
        roles: &["aw"],
        extra: "",
        presents: &[],
        stores: &[(
            "cacerts",
            "",
            &[
                ("rgra.t.example.com_IIS", "ss/rgra.pem"),
                ("rgra_old", "ss/rgra.pem"),
            ],
        )],
    });
    lab.host(H {
        fqdn: &format!("rgra.{D}"),
        roles: &["rogger"],
        extra: "",
        presents: &[("iis", "ss/rgra.pem")],
        stores: &[],
    });
    let (_, a, p) = lab.audit();
    let f = a.with_code(Code::StoreDuplicate).next().expect("finding");
    assert_eq!(f.alias.as_deref(), Some("rgra_old"));
    let del = p
        .steps()
        .find(|(_, s)| s.kind == StepKind::Delete)
        .unwrap()
        .1;
    assert!(
        del.commands[0].contains("-delete") && del.commands[0].contains("-alias \"rgra_old\""),
        "{:?}",
        del.commands
    );
}

#[test]
fn store_duplicate_aliases_that_keytool_lower_cases() {
    let mut lab = Lab::new("pcce", "12.5", "");
    lab.host(H {
        fqdn: &format!("awa.{D}"),
        roles: &["aw"],
        extra: "",
        presents: &[],
        stores: &[(
            "cacerts",
            "",
            &[("Rgra", "ss/rgra.pem"), ("rgra", "ss/pga.pem")],
        )],
    });
    let (_, a, _) = lab.audit();
    assert!(a
        .with_code(Code::StoreDuplicate)
        .next()
        .unwrap()
        .message
        .contains("lower-cases"));
}

#[test]
fn store_stale_alias_is_deleted_before_the_import() {
    let mut lab = Lab::new("pcce", "12.5", "");
    lab.host(H {
        fqdn: &format!("awa.{D}"),
        roles: &["aw"],
        extra: "",
        presents: &[("iis", "ss/awa.pem")],
        stores: &[],
    });
    lab.host(H {
        fqdn: &format!("rgra.{D}"),
        roles: &["rogger"],
        extra: "",
        presents: &[],
        stores: &[(
            "cacerts",
            "",
            &[("awa.t.example.com_IIS", "ss/awa-old.pem")],
        )],
    });
    let (_, a, p) = lab.audit();
    let f = a.with_code(Code::StoreStaleAlias).next().expect("finding");
    assert_eq!(
        f.sha256.as_deref(),
        Some(cert("ss/awa-old.pem").sha256_hex().as_str())
    );
    assert!(has(&a, Code::ChainUntrusted));
    let kinds: Vec<StepKind> = p.hosts[0].steps.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        vec![
            StepKind::Backup,
            StepKind::Delete,
            StepKind::Import,
            StepKind::Restart
        ]
    );
}

#[test]
fn iis_sni_on_the_ece_web_server() {
    let mut lab = Lab::new("pcce", "12.5", "");
    lab.host(H {
        fqdn: &format!("eceweb.{D}"),
        roles: &["ece-web"],
        extra: "[host.iis_binding]\nhost_name = \"\"\nsni_required = true",
        presents: &[],
        stores: &[],
    });
    assert!(has(&lab.audit().1, Code::IisSni));
    let mut lab = Lab::new("pcce", "12.5", "");
    lab.host(H {
        fqdn: &format!("eceweb.{D}"),
        roles: &["ece-web"],
        extra: "[host.iis_binding]\nhost_name = \"\"\nsni_required = false",
        presents: &[],
        stores: &[],
    });
    assert!(!has(&lab.audit().1, Code::IisSni));
}

#[test]
fn evidence_not_collected_for_fetch_hosts() {
    let mut lab = Lab::new("pcce", "12.5", "");
    lab.host(H {
        fqdn: &format!("awa.{D}"),
        roles: &["aw"],
        extra: "",
        presents: &[],
        stores: &[("cacerts", "", &[])],
    });
    lab.host(H {
        fqdn: &format!("rgra.{D}"),
        roles: &["rogger"],
        extra: "fetch = true",
        presents: &[],
        stores: &[],
    });
    // Offline: the audit must not try to reach rgra (no traffic leaves the test machine).
    let inv = lab.inventory();
    let opts = ccetrust::cce::AuditOptions {
        at: now(),
        expiring_days: 60,
    };
    let (a, p) =
        ccetrust::cce::run_with(&inv, &opts, &ccetrust::cce::FetchOptions::offline()).unwrap();
    let f = a.with_code(Code::EvidenceNotCollected).next().unwrap();
    assert_eq!(f.severity, Severity::Info);
    assert_eq!(f.host, format!("rgra.{D}"));
    assert!(f.message.contains("--offline"), "{}", f.message);
    let from_rgra: Vec<_> = a.edges.iter().filter(|e| e.exporter == 1).collect();
    assert!(!from_rgra.is_empty() && from_rgra.iter().all(|e| e.code == "evidence.not-collected"));
    assert!(p.is_empty());
}

#[test]
fn pfx_shared_by_web_servers_must_carry_its_private_key() {
    // Both PFX files are made by `openssl pkcs12 -export` in tests/data/cce/gen.sh: one with
    // the key, one with `-nokeys` (what "No, do not export the private key" gives on Windows).
    let dir = temp_dir("pfx-rule");
    let pw = dir.join("pfx.pw");
    std::fs::write(&pw, "changeit").unwrap();
    let audit_with = |pfx: &str| {
        let mut lab = Lab::new("pcce", "12.5", "");
        let extra = format!(
            "shared_pfx = {{ path = '{}', password_file = '{}' }}",
            data(pfx).display(),
            pw.display()
        );
        lab.host(H {
            fqdn: &format!("eceweb.{D}"),
            roles: &["ece-web"],
            extra: &extra,
            presents: &[],
            stores: &[],
        });
        lab.audit().1
    };
    let a = audit_with("csr/ece-shared-nokey.pfx");
    let f = a.with_code(Code::PfxNoPrivateKey).next().expect("finding");
    assert_eq!(f.host, format!("eceweb.{D}"));
    assert!(!has(
        &audit_with("csr/ece-shared.pfx"),
        Code::PfxNoPrivateKey
    ));
}

/// Store hygiene, validity: a root in an importer's store that the server does not send
/// (openssl made it for 40 days, and a two-year certificate for rgra under it) is reported on
/// the store that holds it, within the window only; a certificate in a store that nothing in
/// the deployment chains to (as a JRE's public roots) is left alone.
#[test]
fn store_validity_of_a_ca_the_deployment_relies_on() {
    let root = cert("ca/short-root.pem");
    let awa = format!("awa.{D}");
    let mut lab = Lab::new("pcce", "12.5", "");
    lab.host(H {
        fqdn: &awa,
        roles: &["aw"],
        extra: "",
        presents: &[],
        stores: &[(
            "cacerts",
            "",
            &[
                ("short-root", "ca/short-root.pem"),
                ("unrelated", "ss/bad-30days.pem"),
            ],
        )],
    });
    lab.host(H {
        fqdn: &format!("rgra.{D}"),
        roles: &["rogger"],
        extra: "",
        presents: &[("iis", "ca/rgra-shortroot.pem")],
        stores: &[],
    });
    let iis_edge = |a: &ccetrust::cce::Audit| {
        a.edges
            .iter()
            .find(|e| e.service.key() == "iis" && e.exporter == 1)
            .unwrap()
            .status
    };
    let (_, a, p) = lab.audit_at(root.not_before().plus_days(1), 60);
    let f: Vec<_> = a.with_code(Code::ValidityExpiring).collect();
    assert_eq!(f.len(), 1, "{:#?}", a.findings);
    assert_eq!(f[0].host, awa);
    assert_eq!(f[0].severity, Severity::Warning);
    assert_eq!(f[0].alias.as_deref(), Some("short-root"));
    assert_eq!(f[0].sha256.as_deref(), Some(root.sha256_hex().as_str()));
    assert!(f[0].store.as_deref().unwrap().contains("cacerts"));
    assert!(
        f[0].message.contains("rgra.t.example.com iis"),
        "{}",
        f[0].message
    );
    assert_eq!(iis_edge(&a), ccetrust::cce::EdgeStatus::Trusted);
    let step = p
        .steps()
        .find(|(_, s)| s.fixes.contains(&Code::ValidityExpiring))
        .expect("a step for the expiring root");
    assert_eq!(step.0.fqdn, awa);
    assert_eq!(step.1.kind, StepKind::Configure);
    assert!(step.1.title.contains("`short-root`"), "{}", step.1.title);
    // Outside the window: nothing.
    let (_, a, _) = lab.audit_at(root.not_before().plus_days(1), 10);
    assert!(!has(&a, Code::ValidityExpiring), "{:?}", codes(&a));
    // Expired: Java takes its anchors as they are, so the connection still works; the store
    // entry is a warning, and rgra's own certificate (valid two years) is no finding.
    let (_, a, _) = lab.audit_at(root.not_after().plus_days(1), 60);
    let f: Vec<_> = a.with_code(Code::ValidityExpired).collect();
    assert_eq!(f.len(), 1, "{:#?}", a.findings);
    assert_eq!(
        (f[0].host.as_str(), f[0].severity),
        (awa.as_str(), Severity::Warning)
    );
    assert_eq!(iis_edge(&a), ccetrust::cce::EdgeStatus::Trusted);
}

/// A server's own certificate that is also in an importer's store is reported once, on the
/// server (where it is regenerated), not again on every store that trusts it.
#[test]
fn store_validity_leaves_a_presented_certificate_to_its_server() {
    let c = cert("ss/bad-30days.pem");
    let bad = format!("bad.{D}");
    let mut lab = Lab::new("pcce", "12.5", "");
    lab.host(H {
        fqdn: &format!("awa.{D}"),
        roles: &["aw"],
        extra: "",
        presents: &[],
        stores: &[(
            "cacerts",
            "",
            &[("bad.t.example.com_IIS", "ss/bad-30days.pem")],
        )],
    });
    lab.host(H {
        fqdn: &bad,
        roles: &["rogger"],
        extra: "",
        presents: &[("iis", "ss/bad-30days.pem")],
        stores: &[],
    });
    let (_, a, _) = lab.audit_at(c.not_before().plus_days(1), 60);
    let f: Vec<_> = a.with_code(Code::ValidityExpiring).collect();
    assert_eq!(f.len(), 1, "{:#?}", a.findings);
    assert_eq!(f[0].host, bad);
}

/// What the audit needs and the inventory does not list is said once per host and
/// certificate or store, however many relationships need it, and those relationships are
/// `unknown`, not guessed.
#[test]
fn evidence_missing_once_per_host_and_what_is_missing() {
    let empty: &[(&str, &str)] = &[];
    let mut lab = Lab::new("pcce", "12.5", "");
    lab.host(H {
        fqdn: &format!("awa.{D}"),
        roles: &["aw"],
        extra: "",
        presents: &[("iis", "ss/awa.pem")],
        stores: &[("cacerts", "", empty)],
    });
    lab.host(H {
        fqdn: &format!("awb.{D}"),
        roles: &["aw"],
        extra: "",
        presents: &[("iis", "ss/awb.pem")],
        stores: &[],
    });
    lab.host(H {
        fqdn: &format!("rgra.{D}"),
        roles: &["rogger"],
        extra: "",
        presents: &[("iis", "ss/rgra.pem")],
        stores: &[("cacerts", "", empty)],
    });
    let (inv, a, _) = lab.audit();
    let mut missing: Vec<(String, String)> = a
        .with_code(Code::EvidenceMissing)
        .map(|f| {
            assert_eq!(f.severity, Severity::Info);
            (f.host.clone(), f.message.clone())
        })
        .collect();
    missing.sort();
    let hosts: Vec<&str> = missing.iter().map(|(h, _)| h.as_str()).collect();
    // The DFP certificates of awa, awb and rgra (each needed by two importers), and awb's
    // cacerts (needed for awa's, and rgra's, certificates).
    assert_eq!(
        hosts,
        [
            "awa.t.example.com",
            "awb.t.example.com",
            "awb.t.example.com",
            "rgra.t.example.com"
        ],
        "{missing:#?}"
    );
    assert!(missing
        .iter()
        .any(|(h, m)| h == "awb.t.example.com" && m.contains("Java cacerts")));
    assert_eq!(
        missing
            .iter()
            .filter(|(_, m)| m.contains("Diagnostic Framework Portico"))
            .count(),
        3
    );
    let unknown: Vec<_> = a
        .edges
        .iter()
        .filter(|e| e.code == "evidence.missing")
        .collect();
    assert!(unknown
        .iter()
        .all(|e| e.status == ccetrust::cce::EdgeStatus::Unknown));
    assert!(unknown
        .iter()
        .any(|e| inv.hosts[e.importer].fqdn == "awb.t.example.com"));
}

/// One deployment per finding code that must report it: the table the meta-test below holds
/// the audit's rule table ([`ccetrust::cce::audit::rules::rule_codes`]) and every other code
/// to. Adding a rule without a row here fails that test.
type Breaks = fn() -> ccetrust::cce::Audit;

const BREAKS: &[(Code, Breaks)] = &[
    (Code::NameNotFqdn, || {
        bad_host("bad", "iis", "ss/bad-short.pem")
    }),
    (Code::NameMismatch, || {
        bad_host(&format!("bad.{D}"), "iis", "ss/bad-mismatch.pem")
    }),
    (Code::NameCnNotInSan, || {
        bad_host(&format!("bad.{D}"), "iis", "ss/bad-nosan.pem")
    }),
    (Code::KeyTooSmall, || {
        bad_host(&format!("bad.{D}"), "iis", "ss/bad-rsa1024.pem")
    }),
    (Code::KeyAlgorithm, || {
        bad_host(&format!("bad.{D}"), "iis", "ss/bad-ec.pem")
    }),
    (Code::SigWeakHash, || {
        bad_host(&format!("bad.{D}"), "iis", "ss/bad-sha1.pem")
    }),
    (Code::ExtCriticalUnsupported, || {
        let mut lab = Lab::new("uccx", "12.5", "");
        lab.host(H {
            fqdn: &format!("uccxa.{D}"),
            roles: &["uccx"],
            extra: "",
            presents: &[],
            stores: &[],
        });
        lab.host(H {
            fqdn: &format!("cucm.{D}"),
            roles: &["cucm"],
            extra: "",
            presents: &[("tomcat", "ss/bad-critical-eku.pem")],
            stores: &[],
        });
        lab.audit().1
    }),
    (Code::EkuMissingClientServer, || {
        one_host(
            "pcce",
            "12.5",
            &format!("pgb.{D}"),
            &["pg", "cti"],
            "cti",
            "ca/pgb-cti-serveronly.pem",
        )
        .audit()
        .1
    }),
    (Code::ValidityExpired, || {
        at_days("ss/bad-30days.pem", 31, 60)
    }),
    (Code::ValidityNotYet, || {
        at_days("ss/bad-30days.pem", -1, 60)
    }),
    (Code::ValidityExpiring, || {
        at_days("ss/bad-30days.pem", 1, 60)
    }),
    (Code::ChainUntrusted, || aw_and_rogger(&[], "ss/rgra.pem")),
    (Code::ChainIncomplete, || {
        let ca = format!(
            "certificates = \"ca-signed\"\nca = ['{}', '{}']",
            data("ca/root.pem").display(),
            data("ca/issuing.pem").display()
        );
        let mut lab = Lab::new("pcce", "12.5", &ca);
        lab.host(H {
            fqdn: &format!("awa.{D}"),
            roles: &["aw"],
            extra: "",
            presents: &[],
            stores: &[("cacerts", "", &[("test-root-ca", "ca/root.pem")])],
        });
        lab.host(H {
            fqdn: &format!("rgra.{D}"),
            roles: &["rogger"],
            extra: "",
            presents: &[("iis", "ca/rgra-leaf.pem")],
            stores: &[],
        });
        lab.audit().1
    }),
    (Code::CsrSanMismatch, || {
        uccx_with_csr("csr/uccxa-san-added-chain.pem")
    }),
    (Code::CsrKeyMismatch, || uccx_with_csr("ss/uccxa.pem")),
    (Code::StoreWrongType, || {
        let mut lab = Lab::new("pcce", "12.5", "");
        lab.host(H {
            fqdn: &format!("cvpa.{D}"),
            roles: &["cvp"],
            extra: "",
            presents: &[],
            stores: &[("cvp-keystore", "format = \"jks\"", &[])],
        });
        lab.audit().1
    }),
    (Code::StoreDuplicate, || {
        aw_and_rogger(
            &[
                ("rgra.t.example.com_IIS", "ss/rgra.pem"),
                ("rgra_old", "ss/rgra.pem"),
            ],
            "ss/rgra.pem",
        )
    }),
    (Code::StoreStaleAlias, || {
        aw_and_rogger(
            &[("rgra.t.example.com_IIS", "ss/awa-old.pem")],
            "ss/rgra.pem",
        )
    }),
    (Code::StoreReplicationDrift, || {
        let mut lab = Lab::new("pcce", "12.5", "");
        for (h, node, held) in [
            ("fina", "publisher", &[("rgra", "ss/rgra.pem")][..]),
            ("finb", "subscriber", &[][..]),
        ] {
            let extra = format!("cluster = \"f\"\nnode = \"{node}\"");
            lab.host(H {
                fqdn: &format!("{h}.{D}"),
                roles: &["finesse"],
                extra: &extra,
                presents: &[],
                stores: &[("tomcat-trust", "", held)],
            });
        }
        lab.audit().1
    }),
    (Code::StoreUnsafeAlias, || {
        aw_and_rogger(
            &[
                ("rgra.t.example.com_IIS", "ss/rgra.pem"),
                ("a & b", "ss/rgra.pem"),
            ],
            "ss/rgra.pem",
        )
    }),
    (Code::IisSni, || {
        let mut lab = Lab::new("pcce", "12.5", "");
        lab.host(H {
            fqdn: &format!("eceweb.{D}"),
            roles: &["ece-web"],
            extra: "[host.iis_binding]\nhost_name = \"x\"\nsni_required = true",
            presents: &[],
            stores: &[],
        });
        lab.audit().1
    }),
    (Code::PfxNoPrivateKey, || {
        let mut lab = Lab::new("pcce", "12.5", "");
        let pw = lab.dir.join("pfx.pw");
        std::fs::write(&pw, "changeit").unwrap();
        let extra = format!(
            "shared_pfx = {{ path = '{}', password_file = '{}' }}",
            data("csr/ece-shared-nokey.pfx").display(),
            pw.display()
        );
        lab.host(H {
            fqdn: &format!("eceweb.{D}"),
            roles: &["ece-web"],
            extra: &extra,
            presents: &[],
            stores: &[],
        });
        lab.audit().1
    }),
    (Code::EvidenceNotCollected, || {
        fetched("", &ccetrust::cce::FetchOptions::offline())
    }),
    (Code::EvidenceUnreachable, || {
        // Port 1 on the loopback interface: nothing listens, the connection is refused.
        fetched(
            "address = \"127.0.0.1\"\nports = { iis = 1, dfp = 1 }",
            &ccetrust::cce::FetchOptions::default(),
        )
    }),
    (Code::EvidenceMissing, || aw_and_rogger(&[], "ss/rgra.pem")),
    (Code::EvidenceUnreadable, || {
        bad_host(&format!("bad.{D}"), "iis", "no-such-file.pem")
    }),
];

fn bad_host(fqdn: &str, svc: &str, file: &str) -> ccetrust::cce::Audit {
    one_host("pcce", "12.5", fqdn, &["rogger"], svc, file)
        .audit()
        .1
}

fn at_days(file: &str, days: i64, window: u32) -> ccetrust::cce::Audit {
    let c = cert(file);
    let lab = one_host(
        "pcce",
        "12.5",
        &format!("bad.{D}"),
        &["rogger"],
        "iis",
        file,
    );
    let at = c.not_before().plus_days(days);
    lab.audit_at(at, window).1
}

fn aw_and_rogger(held: &[(&str, &str)], rgra: &str) -> ccetrust::cce::Audit {
    let mut lab = Lab::new("pcce", "12.5", "");
    lab.host(H {
        fqdn: &format!("awa.{D}"),
        roles: &["aw"],
        extra: "",
        presents: &[],
        stores: &[("cacerts", "", held)],
    });
    lab.host(H {
        fqdn: &format!("rgra.{D}"),
        roles: &["rogger"],
        extra: "",
        presents: &[("iis", rgra)],
        stores: &[],
    });
    lab.audit().1
}

fn uccx_with_csr(file: &str) -> ccetrust::cce::Audit {
    let mut lab = Lab::new("uccx", "12.5", "");
    lab.host(H {
        fqdn: &format!("uccxa.{D}"),
        roles: &["uccx"],
        extra: "",
        presents: &[("tomcat", file)],
        stores: &[],
    });
    lab.toml.push_str(&format!(
        "[host.csr]\ntomcat = '{}'",
        data("csr/uccxa-tomcat.csr").display()
    ));
    lab.audit().1
}

fn fetched(extra: &str, fetch: &ccetrust::cce::FetchOptions) -> ccetrust::cce::Audit {
    let mut lab = Lab::new("pcce", "12.5", "");
    let extra = format!("fetch = true\n{extra}");
    lab.host(H {
        fqdn: &format!("rgra.{D}"),
        roles: &["rogger"],
        extra: &extra,
        presents: &[],
        stores: &[],
    });
    let opts = ccetrust::cce::AuditOptions {
        at: now(),
        expiring_days: 60,
    };
    ccetrust::cce::run_with(&lab.inventory(), &opts, fetch)
        .unwrap()
        .0
}

/// Every finding code — those of the audit's rule table first — has a row in [`BREAKS`], and
/// the row's deployment reports it: a rule added without a deployment that breaks it fails
/// here, and so does a rule that stops reporting.
#[test]
fn every_finding_code_is_asserted_by_a_test() {
    let rules: Vec<Code> = ccetrust::cce::audit::rules::rule_codes().collect();
    assert!(rules.len() >= 12, "{rules:?}");
    for code in rules.iter().chain(Code::ALL) {
        let rows: Vec<_> = BREAKS.iter().filter(|(c, _)| c == code).collect();
        assert_eq!(rows.len(), 1, "one row of BREAKS for {}", code.as_str());
        let a = (rows[0].1)();
        assert!(has(&a, *code), "{}: {:?}", code.as_str(), codes(&a));
    }
}

/// Issue 11, point 1: CCE Administration on an AW/ADS reaches the IIS and Diagnostic Portico
/// of every ADS by FQDN, its own included, so an AW whose cacerts lacks its own IIS
/// certificate is not healthy.
#[test]
fn an_aw_trusts_its_own_iis_and_dfp_certificates() {
    let awa = format!("awa.{D}");
    let run = |held: &[(&str, &str)]| {
        let mut lab = Lab::new("pcce", "12.5", "");
        lab.host(H {
            fqdn: &awa,
            roles: &["aw"],
            extra: "",
            presents: &[("iis", "ss/awa.pem"), ("dfp", "ss/awa-old.pem")],
            stores: &[("cacerts", "", held)],
        });
        lab.audit()
    };
    let (_, a, p) = run(&[("awa.t.example.com_DFP", "ss/awa-old.pem")]);
    let own: Vec<_> = a
        .edges
        .iter()
        .filter(|e| e.importer == 0 && e.exporter == 0)
        .collect();
    assert_eq!(own.len(), 2, "{:#?}", a.edges);
    assert!(own.iter().all(|e| e.requirement == "aw.trusts.cce-servers"));
    let f: Vec<_> = a.with_code(Code::ChainUntrusted).collect();
    assert_eq!(f.len(), 1, "{:#?}", a.findings);
    assert_eq!(f[0].importer.as_deref(), Some(awa.as_str()));
    assert_eq!(f[0].exporter.as_deref(), Some(awa.as_str()));
    assert_eq!(f[0].alias.as_deref(), Some("awa.t.example.com_IIS"));
    assert!(p.steps().any(|(h, s)| h.fqdn == awa
        && s.kind == StepKind::Import
        && s.commands
            .iter()
            .any(|c| c.contains("-alias \"awa.t.example.com_IIS\""))));
    // Both held: both trusted, nothing to do.
    let (_, a, _) = run(&[
        ("awa.t.example.com_IIS", "ss/awa.pem"),
        ("awa.t.example.com_DFP", "ss/awa-old.pem"),
    ]);
    assert!(!has(&a, Code::ChainUntrusted), "{:#?}", a.findings);
    assert!(a
        .edges
        .iter()
        .filter(|e| e.importer == 0 && e.exporter == 0)
        .all(|e| e.status == ccetrust::cce::EdgeStatus::Trusted));
}

/// Issue 11, point 3: where the exporter is the TLS client (Finesse presenting its certificate
/// to the CTI server's secure port), the importer checks the chain, the validity and the
/// clientAuth EKU (RFC 5280 §4.2.1.12), never a host name: a Finesse certificate whose SAN
/// does not carry its FQDN still authenticates it as a client; one without clientAuth does not.
#[test]
fn a_tls_clients_certificate_is_checked_for_client_auth_not_for_a_name() {
    let run = |finesse_cert: &str| {
        let mut lab = Lab::new(
            "pcce",
            "12.5",
            &format!(
                "certificates = \"ca-signed\"\nca = ['{}', '{}']",
                data("ca/root.pem").display(),
                data("ca/issuing.pem").display()
            ),
        );
        lab.host(H {
            fqdn: &format!("pga.{D}"),
            roles: &["pg", "cti"],
            extra: "",
            presents: &[("cti", "ca/pga-cti.pem")],
            stores: &[("cti-certs", "", &[("test-root-ca", "ca/root.pem")])],
        });
        lab.host(H {
            fqdn: &format!("finx.{D}"),
            roles: &["finesse"],
            extra: "cluster = \"f\"\nnode = \"publisher\"",
            presents: &[("tomcat", finesse_cert)],
            stores: &[],
        });
        let (_, a, _) = lab.audit();
        let e = a
            .edges
            .iter()
            .find(|e| e.requirement == "cti.trusts.finesse")
            .cloned()
            .expect("the CTI server's relationship to Finesse");
        (a, e)
    };
    // Issued to fina, presented by finx: a server name would not match.
    let (a, e) = run("ca/fina.pem");
    assert_eq!(e.status, ccetrust::cce::EdgeStatus::Trusted, "{e:#?}");
    assert_eq!(e.code, "valid");
    // The same certificate is still a server certificate of finx (agents' browsers and the AWs
    // reach it by FQDN): the certificate rule reports that, the client relationship does not.
    assert!(has(&a, Code::NameMismatch));
    // serverAuth only: the CTI server refuses it as a client certificate.
    let (_, e) = run("ca/pgb-cti-serveronly.pem");
    assert_eq!(e.status, ccetrust::cce::EdgeStatus::Failed, "{e:#?}");
    assert_eq!(e.code, "usage.extended_key_usage", "{e:#?}");
}

/// Issue 11, point 6, for the deployment's own files: a `[deployment] ca` file that cannot be
/// read is `evidence.unreadable` (error) with the file and its inventory line, and the hosts
/// are still audited.
#[test]
fn an_unreadable_deployment_ca_file_is_a_finding_and_the_audit_goes_on() {
    let awa = format!("awa.{D}");
    let missing = temp_dir("ca").join("no-such-root.pem");
    let mut lab = Lab::new(
        "pcce",
        "12.5",
        &format!(
            "certificates = \"ca-signed\"\nca = ['{}']",
            missing.display()
        ),
    );
    lab.host(H {
        fqdn: &awa,
        roles: &["aw"],
        extra: "",
        presents: &[("iis", "ss/awa.pem")],
        stores: &[("cacerts", "", &[])],
    });
    let line = 1 + lab
        .toml
        .lines()
        .position(|l| l.contains("no-such-root.pem"))
        .unwrap();
    let (_, a, _) = lab.audit();
    let f: Vec<_> = a.with_code(Code::EvidenceUnreadable).collect();
    assert_eq!(f.len(), 1, "{:#?}", a.findings);
    assert_eq!(
        (f[0].host.as_str(), f[0].severity),
        ("test", Severity::Error)
    );
    assert!(
        f[0].message.contains(&missing.display().to_string())
            && f[0]
                .message
                .contains(&format!("line {line} of the inventory")),
        "{}",
        f[0].message
    );
    // The host is still judged: awa does not trust its own IIS certificate.
    assert!(a.with_code(Code::ChainUntrusted).any(|u| u.host == awa));
}

/// Issue 11, point 6: a missing or malformed file the inventory names does not stop the audit:
/// it is `evidence.unreadable` (error) on its host, with the file, the inventory line and the
/// reason; the relationships that need it are `unknown`, and the rest is judged.
#[test]
fn an_unreadable_evidence_file_is_a_finding_and_the_audit_goes_on() {
    let (awa, rgra) = (format!("awa.{D}"), format!("rgra.{D}"));
    let mut lab = Lab::new("pcce", "12.5", "");
    let garbage = lab.dir.join("garbage.pem");
    std::fs::write(&garbage, "this is not a certificate\n").unwrap();
    let missing = lab.dir.join("no-such-file.pem");
    let not_a_keystore = lab.dir.join("cacerts-truncated");
    std::fs::write(&not_a_keystore, [0xfe, 0xed, 0xfe, 0xed, 0, 0]).unwrap();
    lab.host(H {
        fqdn: &awa,
        roles: &["aw"],
        extra: "",
        presents: &[("iis", "ss/awa.pem")],
        stores: &[("cacerts", "", &[])],
    });
    lab.toml.push_str(&format!(
        "[[host]]\nfqdn = \"{rgra}\"\nroles = [\"rogger\"]\n[host.presents]\niis = '{}'\ndfp = '{}'\n[[host.store]]\nkind = \"cacerts\"\npath = '{}'\n\n",
        missing.display(),
        garbage.display(),
        not_a_keystore.display()
    ));
    let line_of = |p: &std::path::Path| {
        let needle = p.display().to_string();
        1 + lab.toml.lines().position(|l| l.contains(&needle)).unwrap()
    };
    let (_, a, _) = lab.audit();
    let f: Vec<_> = a.with_code(Code::EvidenceUnreadable).collect();
    assert_eq!(f.len(), 3, "{:#?}", a.findings);
    // A presented file's own line; a store's `[[host.store]]` line (two above its path).
    for (file, what, line) in [
        (&missing, "IIS web server certificate", line_of(&missing)),
        (
            &garbage,
            "Diagnostic Framework Portico certificate",
            line_of(&garbage),
        ),
        (
            &not_a_keystore,
            "Java cacerts",
            line_of(&not_a_keystore) - 2,
        ),
    ] {
        let g = f
            .iter()
            .find(|g| g.message.contains(&file.display().to_string()))
            .unwrap_or_else(|| panic!("{file:?}: {f:#?}"));
        assert_eq!(
            (g.host.as_str(), g.severity),
            (rgra.as_str(), Severity::Error)
        );
        assert!(g.message.contains(what), "{}", g.message);
        assert!(
            g.message.contains(&format!("line {line} of the inventory")),
            "{}",
            g.message
        );
    }
    // What needs them is unknown, said once (no evidence.missing on top).
    let unknown: Vec<_> = a
        .edges
        .iter()
        .filter(|e| e.code == "evidence.unreadable")
        .collect();
    assert_eq!(unknown.len(), 3, "{:#?}", a.edges); // awa→rgra iis and dfp; rgra→awa iis
    assert!(unknown
        .iter()
        .all(|e| e.status == ccetrust::cce::EdgeStatus::Unknown));
    assert!(!a
        .with_code(Code::EvidenceMissing)
        .any(|m| m.host == rgra && m.message.contains("cacerts")));
    // The rest is judged: awa does not trust its own IIS certificate.
    assert!(a
        .with_code(Code::ChainUntrusted)
        .any(|c| c.exporter.as_deref() == Some(awa.as_str())));
}

/// Issue 12 (audit side): an alias a plan command would have to print that cmd.exe cannot
/// quote (`"`, `%`, `^`, `&`, `|`, `<`, `>`, control characters) is `store.unsafe-alias`
/// (warning): a store's own alias (here a duplicate to delete), and an alias derived from a
/// certificate's CN (UCCX names its upload after the CN; the fixture's CN carries `&`).
#[test]
fn store_unsafe_alias_for_store_aliases_and_cn_derived_ones() {
    let hostile = "old rgra\" & calc.exe & \"x";
    let mut lab = Lab::new("pcce", "12.5", "");
    lab.host(H {
        fqdn: &format!("awa.{D}"),
        roles: &["aw"],
        extra: "",
        presents: &[],
        stores: &[(
            "cacerts",
            "",
            &[
                ("rgra.t.example.com_IIS", "ss/rgra.pem"),
                (hostile, "ss/rgra.pem"),
            ],
        )],
    });
    lab.host(H {
        fqdn: &format!("rgra.{D}"),
        roles: &["rogger"],
        extra: "",
        presents: &[("iis", "ss/rgra.pem")],
        stores: &[],
    });
    let (_, a, _) = lab.audit();
    assert!(has(&a, Code::StoreDuplicate));
    let f: Vec<_> = a.with_code(Code::StoreUnsafeAlias).collect();
    assert_eq!(f.len(), 1, "{:#?}", a.findings);
    assert_eq!(
        (f[0].host.as_str(), f[0].severity, f[0].alias.as_deref()),
        (
            format!("awa.{D}").as_str(),
            Severity::Warning,
            Some(hostile)
        )
    );
    assert!(f[0].message.contains("double quote"), "{}", f[0].message);
    // The CN gives the name of the upload.
    let mut lab = Lab::new("uccx", "12.5", "");
    lab.host(H {
        fqdn: &format!("uccxa.{D}"),
        roles: &["uccx"],
        extra: "",
        presents: &[("tomcat", "ss/uccxa.pem")],
        stores: &[("tomcat-trust", "", &[])],
    });
    lab.host(H {
        fqdn: &format!("web3p.{D}"),
        roles: &["third-party-https"],
        extra: "",
        presents: &[("https", "ss/web3p-unsafe-cn.pem")],
        stores: &[],
    });
    let (_, a, _) = lab.audit();
    let f: Vec<_> = a.with_code(Code::StoreUnsafeAlias).collect();
    assert_eq!(f.len(), 1, "{:#?}", a.findings);
    assert_eq!(f[0].alias.as_deref(), Some("web3p.t.example.com & calc"));
    assert!(f[0].message.contains("separators"), "{}", f[0].message);
    // A safe store needs no such finding.
    let (_, a, _) = one_host(
        "pcce",
        "12.5",
        &format!("awa.{D}"),
        &["aw"],
        "iis",
        "ss/awa.pem",
    )
    .audit();
    assert!(!has(&a, Code::StoreUnsafeAlias));
}

/// Every finding code has a row in `docs/audit-schema.md`'s code table, with a sentence and a
/// remediation.
#[test]
fn every_finding_code_is_documented_with_a_remediation() {
    let doc = cce_support::schema::doc_text();
    for code in Code::ALL {
        let row = doc
            .lines()
            .find(|l| l.starts_with(&format!("| `{}` |", code.as_str())))
            .unwrap_or_else(|| panic!("no row for {} in docs/audit-schema.md", code.as_str()));
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        assert!(
            cells.len() >= 6 && cells[3].len() > 20 && cells[4].len() > 20,
            "{row}"
        );
    }
}
