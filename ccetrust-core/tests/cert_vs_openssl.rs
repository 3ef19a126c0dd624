//! The certificate model against the outside truth: for every certificate of our fixtures,
//! of the JDK's `cacerts` and of the `certifi` bundle, each field we report equals what the
//! real `openssl x509` prints for the same bytes (openssl runs at test time).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

mod tool_support;

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::Command;

use ccetrust::{load_certificates, Certificate, Timestamp};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/certs")
}

fn have(tool: &str) -> bool {
    tool_support::require(tool, "the openssl/keytool cross-check")
}

/// What openssl says about one DER certificate.
#[derive(Debug, Default)]
struct OpensslView {
    subject: String,
    issuer: String,
    serial: String,
    not_before: String,
    not_after: String,
    sha256: String,
    sha1: String,
    text: String,
}

fn openssl_view(der: &[u8]) -> OpensslView {
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("ccetrust-ossl-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("c.der");
    std::fs::write(&path, der).unwrap();
    let run = |args: &[&str]| -> String {
        let out = Command::new("openssl")
            .args(["x509", "-inform", "DER", "-noout", "-in"])
            .arg(&path)
            .args(args)
            .output()
            .expect("run openssl");
        let _ = &dir;
        assert!(
            out.status.success(),
            "openssl failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let fields = run(&[
        "-nameopt",
        "RFC2253,-esc_msb",
        "-subject",
        "-issuer",
        "-serial",
        "-startdate",
        "-enddate",
        "-fingerprint",
        "-sha256",
        "-text",
        "-certopt",
        "no_sigdump",
    ]);
    let sha1 = run(&["-fingerprint", "-sha1"]);
    let mut v = OpensslView {
        text: fields.clone(),
        ..Default::default()
    };
    for line in fields.lines() {
        if let Some(s) = line.strip_prefix("subject=") {
            v.subject = s.to_string();
        } else if let Some(s) = line.strip_prefix("issuer=") {
            v.issuer = s.to_string();
        } else if let Some(s) = line.strip_prefix("serial=") {
            v.serial = s.to_ascii_lowercase();
        } else if let Some(s) = line.strip_prefix("notBefore=") {
            v.not_before = s.to_string();
        } else if let Some(s) = line.strip_prefix("notAfter=") {
            v.not_after = s.to_string();
        } else if let Some((_, s)) = line
            .strip_prefix("sha256 Fingerprint=")
            .or_else(|| line.strip_prefix("SHA256 Fingerprint="))
            .map(|s| ("", s))
        {
            v.sha256 = s.replace(':', "").to_ascii_lowercase();
        }
    }
    v.sha1 = sha1
        .split_once("Fingerprint=")
        .map(|(_, s)| s.trim().replace(':', "").to_ascii_lowercase())
        .unwrap_or_default();
    v
}

/// Parses OpenSSL's `Nov 23 03:10:15 2026 GMT`.
fn openssl_time(s: &str) -> Timestamp {
    let parts: Vec<&str> = s.split_whitespace().collect();
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mon = months.iter().position(|m| *m == parts[0]).unwrap() as u32 + 1;
    let day: u32 = parts[1].parse().unwrap();
    let hms: Vec<u32> = parts[2].split(':').map(|x| x.parse().unwrap()).collect();
    let year: i64 = parts[3].parse().unwrap();
    Timestamp::from_civil(year, mon, day, hms[0], hms[1], hms[2]).unwrap()
}

/// The line after a heading in `openssl x509 -text`, e.g. the SAN list.
fn text_value<'a>(text: &'a str, heading: &str) -> Option<(&'a str, bool)> {
    let mut lines = text.lines();
    while let Some(l) = lines.next() {
        let t = l.trim();
        if let Some(rest) = t.strip_prefix(heading) {
            let critical = rest.contains("critical");
            return lines.next().map(|v| (v.trim(), critical));
        }
    }
    None
}

fn map_names(list: &str, table: &[(&str, &str)]) -> Vec<String> {
    list.split(", ")
        .map(|n| {
            table
                .iter()
                .find(|(o, _)| *o == n)
                .map(|(_, r)| r.to_string())
                .unwrap_or_else(|| n.to_string())
        })
        .collect()
}

const KU: &[(&str, &str)] = &[
    ("Digital Signature", "digitalSignature"),
    ("Non Repudiation", "nonRepudiation"),
    ("Key Encipherment", "keyEncipherment"),
    ("Data Encipherment", "dataEncipherment"),
    ("Key Agreement", "keyAgreement"),
    ("Certificate Sign", "keyCertSign"),
    ("CRL Sign", "cRLSign"),
    ("Encipher Only", "encipherOnly"),
    ("Decipher Only", "decipherOnly"),
];

const EKU: &[(&str, &str)] = &[
    ("TLS Web Server Authentication", "serverAuth"),
    ("TLS Web Client Authentication", "clientAuth"),
    ("Code Signing", "codeSigning"),
    ("E-mail Protection", "emailProtection"),
    ("Time Stamping", "timeStamping"),
    ("OCSP Signing", "OCSPSigning"),
    ("Any Extended Key Usage", "anyExtendedKeyUsage"),
    ("IPSec End System", "ipsecEndSystem"),
    ("IPSec Tunnel", "ipsecTunnel"),
    ("IPSec User", "ipsecUser"),
    ("Microsoft Server Gated Crypto", "msSGC"),
    ("Netscape Server Gated Crypto", "nsSGC"),
    ("Microsoft Encrypted File System", "msEFS"),
    ("Microsoft Smartcard Login", "msSmartcardLogin"),
    ("ipsec Internet Key Exchange", "ipsecIKE"),
];

/// Compares every field; returns the mismatches (empty = equal).
fn compare(cert: &Certificate) -> Vec<String> {
    let o = openssl_view(cert.der());
    let mut bad = Vec::new();
    let mut check = |what: &str, ours: String, theirs: String| {
        if ours != theirs {
            bad.push(format!("{what}: ours {ours:?} openssl {theirs:?}"));
        }
    };
    check("subject", cert.subject().to_rfc4514(), o.subject.clone());
    check("issuer", cert.issuer().to_rfc4514(), o.issuer.clone());
    check("serial", cert.serial_hex(), o.serial.clone());
    check(
        "notBefore",
        cert.not_before().to_rfc3339(),
        openssl_time(&o.not_before).to_rfc3339(),
    );
    check(
        "notAfter",
        cert.not_after().to_rfc3339(),
        openssl_time(&o.not_after).to_rfc3339(),
    );
    check("sha256", cert.sha256_hex(), o.sha256.clone());
    check("sha1", cert.sha1_hex(), o.sha1.clone());

    let sig = o
        .text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Signature Algorithm: "))
        .unwrap_or("")
        .to_string();
    check("signature algorithm", cert.signature_algorithm(), sig);

    let pk = cert.public_key();
    if let Some(bits) = o.text.lines().find_map(|l| {
        l.trim()
            .strip_prefix("Public-Key: (")
            .and_then(|r| r.split(' ').next())
            .and_then(|n| n.parse::<u32>().ok())
    }) {
        check(
            "key bits",
            format!("{:?}", pk.bits),
            format!("{:?}", Some(bits)),
        );
    }
    if let Some(curve) = o
        .text
        .lines()
        .find_map(|l| l.trim().strip_prefix("NIST CURVE: "))
    {
        check(
            "curve",
            format!("{:?}", pk.curve),
            format!("{:?}", Some(curve)),
        );
    }

    let san = cert.subject_alt_names();
    match text_value(&o.text, "X509v3 Subject Alternative Name:") {
        Some((list, _)) => {
            let (mut dns, mut ip, mut email, mut uri) = (vec![], vec![], vec![], vec![]);
            for item in list.split(", ") {
                if let Some(d) = item.strip_prefix("DNS:") {
                    dns.push(d.to_string());
                } else if let Some(a) = item.strip_prefix("IP Address:") {
                    ip.push(
                        a.parse::<IpAddr>()
                            .map(|a| a.to_string())
                            .unwrap_or(a.to_string()),
                    );
                } else if let Some(e) = item.strip_prefix("email:") {
                    email.push(e.to_string());
                } else if let Some(u) = item.strip_prefix("URI:") {
                    uri.push(u.to_string());
                }
            }
            check("san dns", format!("{:?}", san.dns), format!("{dns:?}"));
            let ours_ip: Vec<String> = san.ip.iter().map(|i| i.to_string()).collect();
            check("san ip", format!("{ours_ip:?}"), format!("{ip:?}"));
            check(
                "san email",
                format!("{:?}", san.email),
                format!("{email:?}"),
            );
            check("san uri", format!("{:?}", san.uri), format!("{uri:?}"));
        }
        None => check(
            "san present",
            format!("{}", !san.is_empty()),
            "false".into(),
        ),
    }

    match text_value(&o.text, "X509v3 Basic Constraints:") {
        Some((v, critical)) => {
            let ca = v.contains("CA:TRUE");
            let pathlen = v
                .split("pathlen:")
                .nth(1)
                .and_then(|p| p.trim().parse::<u8>().ok());
            check("is_ca", cert.is_ca().to_string(), ca.to_string());
            check(
                "path_len",
                format!("{:?}", cert.path_len()),
                format!("{pathlen:?}"),
            );
            let ours_crit = cert
                .extension_list()
                .iter()
                .any(|e| e.name == Some("basicConstraints") && e.critical);
            check(
                "basicConstraints critical",
                ours_crit.to_string(),
                critical.to_string(),
            );
        }
        None => check(
            "basicConstraints present",
            cert.basic_constraints().is_some().to_string(),
            "false".into(),
        ),
    }
    match text_value(&o.text, "X509v3 Key Usage:") {
        Some((v, _)) => check(
            "key usage",
            format!(
                "{:?}",
                cert.key_usage().map(|k| k.names()).unwrap_or_default()
            ),
            format!("{:?}", map_names(v, KU)),
        ),
        None => check(
            "key usage present",
            cert.key_usage().is_some().to_string(),
            "false".into(),
        ),
    }
    if let Some((v, _)) = text_value(&o.text, "X509v3 Extended Key Usage:") {
        check(
            "extended key usage",
            format!("{:?}", cert.extended_key_usage()),
            format!("{:?}", map_names(v, EKU)),
        );
    }
    // Every extension is listed, and as many as openssl counts under "X509v3 extensions".
    let ext_section = o
        .text
        .split("X509v3 extensions:")
        .nth(1)
        .map(|s| s.split("Signature Algorithm:").next().unwrap_or(""))
        .unwrap_or("");
    let openssl_critical = ext_section.matches(": critical").count();
    let ours_critical = cert.extension_list().iter().filter(|e| e.critical).count();
    check(
        "critical extension count",
        ours_critical.to_string(),
        openssl_critical.to_string(),
    );
    bad
}

fn check_all(certs: &[Certificate], what: &str) {
    let mut failures = Vec::new();
    for c in certs {
        let bad = compare(c);
        if !bad.is_empty() {
            failures.push(format!(
                "{} ({}):\n  {}",
                c.subject(),
                c.sha256_hex(),
                bad.join("\n  ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{what}: {} certificates differ from openssl:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn fixtures_match_openssl() {
    if !have("openssl") {
        return;
    }
    let mut certs = Vec::new();
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if name.contains("csr") {
            continue;
        }
        if name.ends_with(".pem")
            || name.ends_with(".der")
            || name.ends_with(".cer")
            || name.ends_with(".p7b")
        {
            certs.extend(
                load_certificates(&std::fs::read(&p).unwrap())
                    .unwrap_or_else(|e| panic!("{name}: {e}")),
            );
        }
    }
    assert!(
        certs.len() >= 20,
        "fixtures missing: run tests/data/certs/gen.sh"
    );
    check_all(&certs, "fixtures");
}

#[test]
fn jdk_cacerts_all_parse_and_match_openssl() {
    let out = match Command::new("keytool")
        .args(["-list", "-rfc", "-cacerts", "-storepass", "changeit"])
        .output()
    {
        Ok(o) if o.status.success() => o.stdout,
        _ => {
            tool_support::missing("keytool -list -cacerts did not run");
            return;
        }
    };
    // keytool's listing is PEM with "Alias name:" text around each block: exactly what
    // administrators paste into tickets.
    let expected = String::from_utf8_lossy(&out)
        .matches("-----BEGIN CERTIFICATE-----")
        .count();
    let certs = load_certificates(&out).expect("every cacerts certificate parses");
    assert_eq!(certs.len(), expected);
    assert!(expected > 50, "cacerts unexpectedly small: {expected}");
    check_all(&certs, "JDK cacerts");
}

#[test]
fn certifi_bundle_all_parse_and_match_openssl() {
    let find = |code: &str| {
        Command::new("python3")
            .args(["-c", code])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let path = find("import certifi; print(certifi.where())")
        .or_else(|| find("from pip._vendor import certifi; print(certifi.where())"));
    let Some(path) = path else {
        tool_support::missing("no certifi bundle (neither certifi nor pip's vendored copy)");
        return;
    };
    let bytes = std::fs::read(&path).unwrap();
    let expected = String::from_utf8_lossy(&bytes)
        .matches("-----BEGIN CERTIFICATE-----")
        .count();
    let certs = load_certificates(&bytes).expect("every certifi certificate parses");
    assert_eq!(certs.len(), expected);
    check_all(&certs, "certifi");
}
