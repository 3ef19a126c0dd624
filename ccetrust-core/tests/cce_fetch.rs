//! The audit of `fetch = true` hosts against real servers on 127.0.0.1: `openssl s_server`
//! presenting certificates that `openssl` makes at test time (a CA-signed Rogger whose root the
//! AW's `cacerts` holds, a self-signed AW that nobody trusts), a port with nothing listening,
//! and small TCP listeners that speak HTTP or never answer. The findings must reflect what the
//! servers presented (fingerprints as `openssl x509` computes them from the served files), and
//! the servers that cannot be reached must be findings naming why. Every server listens on
//! 127.0.0.1 only, on a port the OS picked; the inventory's `address = "127.0.0.1"` keeps every
//! connection on the loopback whatever the FQDNs say.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cce_support;
mod tls_support;
mod tool_support;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use tls_support::{free_port, openssl_available, openssl_sha256, SServer};

use ccetrust::cce::evidence::Source;
use ccetrust::cce::{self, Audit, AuditOptions, Code, EdgeStatus, FetchOptions, Inventory};
use ccetrust::Timestamp;

const D: &str = "lab.example.com";

fn temp_dir(tag: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!(
        "ccetrust-cce-fetch-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openssl {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The lab's certificates, made by openssl in `dir` (RSA 2048, SHA-256, 825 days, as PCCE
/// 12.5 wants):
/// - `root.pem` "Lab Root CA" and `int.pem` "Lab Issuing CA" (signed by the root);
/// - `rgra.pem`/`.key`: `rgra.{D}` with its DNS SAN, signed by the issuing CA;
/// - `awa.pem`/`.key`: `awa.{D}`, self-signed, with its DNS SAN.
fn make_certificates(dir: &Path) {
    let ca_ext = "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n";
    std::fs::write(dir.join("ca.ext"), ca_ext).unwrap();
    let leaf_ext = format!(
        "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:rgra.{D}\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n"
    );
    std::fs::write(dir.join("leaf.ext"), leaf_ext).unwrap();
    let rsa = ["-newkey", "rsa:2048", "-nodes"];
    openssl(
        dir,
        &[
            &["req", "-x509"][..],
            &rsa,
            &[
                "-keyout",
                "root.key",
                "-out",
                "root.pem",
                "-days",
                "825",
                "-sha256",
                "-subj",
                "/O=ccetrust tests/CN=Lab Root CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ],
        ]
        .concat(),
    );
    openssl(
        dir,
        &[
            &["req", "-new"][..],
            &rsa,
            &[
                "-keyout",
                "int.key",
                "-out",
                "int.csr",
                "-subj",
                "/O=ccetrust tests/CN=Lab Issuing CA",
            ],
        ]
        .concat(),
    );
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "int.csr",
            "-CA",
            "root.pem",
            "-CAkey",
            "root.key",
            "-CAcreateserial",
            "-out",
            "int.pem",
            "-days",
            "825",
            "-sha256",
            "-extfile",
            "ca.ext",
        ],
    );
    let rgra_subj = format!("/O=ccetrust tests/CN=rgra.{D}");
    openssl(
        dir,
        &[
            &["req", "-new"][..],
            &rsa,
            &[
                "-keyout", "rgra.key", "-out", "rgra.csr", "-subj", &rgra_subj,
            ],
        ]
        .concat(),
    );
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "rgra.csr",
            "-CA",
            "int.pem",
            "-CAkey",
            "int.key",
            "-CAcreateserial",
            "-out",
            "rgra.pem",
            "-days",
            "825",
            "-sha256",
            "-extfile",
            "leaf.ext",
        ],
    );
    let awa_subj = format!("/CN=awa.{D}");
    let awa_san = format!("subjectAltName=DNS:awa.{D}");
    openssl(
        dir,
        &[
            &["req", "-x509"][..],
            &rsa,
            &[
                "-keyout", "awa.key", "-out", "awa.pem", "-days", "825", "-sha256", "-subj",
                &awa_subj, "-addext", &awa_san,
            ],
        ]
        .concat(),
    );
}

/// A port on 127.0.0.1 with nothing listening: bound by the OS, then released.
fn dead_port() -> u16 {
    free_port()
}

/// A TCP listener on 127.0.0.1 that handles each connection with `behaviour` for 30 s.
fn listener(behaviour: fn(TcpStream)) -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    l.set_nonblocking(true).unwrap();
    thread::spawn(move || {
        for _ in 0..3000 {
            match l.accept() {
                Ok((s, _)) => {
                    s.set_nonblocking(false).unwrap();
                    thread::spawn(move || behaviour(s));
                }
                Err(_) => thread::sleep(Duration::from_millis(10)),
            }
        }
    });
    port
}

fn speaks_http(mut s: TcpStream) {
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    let mut buf = [0u8; 2048];
    let _ = s.read(&mut buf);
    let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
}

fn never_answers(s: TcpStream) {
    // Holds the connection open without a byte back: a black-holed handshake.
    thread::sleep(Duration::from_secs(20));
    drop(s);
}

/// The lab: AW and Rogger served by s_server, a PG whose ports have nothing listening.
struct Lab {
    dir: PathBuf,
    inventory: PathBuf,
    aw: SServer,
    rogger: SServer,
    dead: u16,
}

impl Drop for Lab {
    fn drop(&mut self) {
        // The servers still hold their files open (Windows refuses the removal then): best effort.
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn lab() -> Lab {
    let dir = temp_dir("lab");
    make_certificates(&dir);
    let aw = SServer::start(&dir, &["-www", "-cert", "awa.pem", "-key", "awa.key"]);
    let rogger = SServer::start(
        &dir,
        &[
            "-www",
            "-cert",
            "rgra.pem",
            "-key",
            "rgra.key",
            "-cert_chain",
            "int.pem",
        ],
    );
    let dead = dead_port();
    // The AW's cacerts holds the lab root (what an administrator imports once for CA-signed
    // servers); the Rogger's holds nothing.
    std::fs::create_dir_all(dir.join("awa-cacerts")).unwrap();
    std::fs::copy(
        dir.join("root.pem"),
        dir.join("awa-cacerts/lab-root-ca.pem"),
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("rgra-cacerts")).unwrap();
    let text = format!(
        r#"[deployment]
name = "fetch lab"
product = "pcce"
version = "12.5"
size = 2000
domain = "{D}"

[[host]]
fqdn = "awa.{D}"
roles = ["aw"]
side = "A"
fetch = true
address = "127.0.0.1"
ports = {{ iis = {aw}, dfp = {aw} }}
[[host.store]]
kind = "cacerts"
path = "awa-cacerts"

[[host]]
fqdn = "rgra.{D}"
roles = ["rogger"]
side = "A"
fetch = true
address = "127.0.0.1"
ports = {{ iis = {rg}, dfp = {rg} }}
[[host.store]]
kind = "cacerts"
path = "rgra-cacerts"

[[host]]
fqdn = "pga.{D}"
roles = ["pg"]
side = "A"
fetch = true
address = "127.0.0.1"
ports = {{ iis = {dead}, dfp = {dead} }}
"#,
        aw = aw.port,
        rg = rogger.port,
    );
    let inventory = dir.join("inventory.toml");
    std::fs::write(&inventory, text).unwrap();
    Lab {
        dir,
        inventory,
        aw,
        rogger,
        dead,
    }
}

fn at() -> Timestamp {
    Timestamp::now()
}

fn quick() -> FetchOptions {
    FetchOptions {
        connect_timeout: Duration::from_secs(5),
        handshake_timeout: Duration::from_secs(5),
        ..FetchOptions::default()
    }
}

/// Runs the audit on a thread; fails the test if it has not finished within `bound` (far
/// above the fetch timeouts: the guard against a hang).
fn audit_bounded(inv: &Path, fetch: FetchOptions, bound: Duration) -> (Inventory, Audit) {
    let inv = Inventory::load(inv).unwrap();
    let (tx, rx) = mpsc::channel();
    let inv2 = inv.clone();
    thread::spawn(move || {
        let opts = AuditOptions {
            at: at(),
            expiring_days: 60,
        };
        let _ = tx.send(cce::run_with(&inv2, &opts, &fetch).map(|(a, _)| a));
    });
    let a = rx
        .recv_timeout(bound)
        .expect("the audit did not finish within its bound")
        .unwrap();
    (inv, a)
}

#[test]
fn the_audit_judges_what_the_servers_present_and_names_the_unreachable() {
    if !openssl_available() {
        return;
    }
    let lab = lab();
    let before = Timestamp::now();
    let (inv, a) = audit_bounded(&lab.inventory, quick(), Duration::from_secs(60));
    let after = Timestamp::now();
    let host = |fqdn: &str| inv.host_index(fqdn).unwrap();
    let (awa, rgra, pga) = (
        host(&format!("awa.{D}")),
        host(&format!("rgra.{D}")),
        host(&format!("pga.{D}")),
    );

    // The evidence is what the servers presented: the served files' fingerprints, in order.
    let aw_fp = openssl_sha256(&lab.dir.join("awa.pem"));
    let rg_fp = openssl_sha256(&lab.dir.join("rgra.pem"));
    let int_fp = openssl_sha256(&lab.dir.join("int.pem"));
    let mut seen: Vec<(usize, &str, Vec<String>, String)> = a
        .evidence
        .iter()
        .map(|e| {
            let Source::Fetched(f) = &e.source else {
                panic!("{:?} was not fetched", e.source)
            };
            (
                e.host,
                e.service.key(),
                e.chain_sha256.clone(),
                f.target.clone(),
            )
        })
        .collect();
    seen.sort();
    let aw_target = format!("127.0.0.1:{}", lab.aw.port);
    let rg_target = format!("127.0.0.1:{}", lab.rogger.port);
    let mut expected = vec![
        (awa, "iis", vec![aw_fp.clone()], aw_target.clone()),
        (awa, "dfp", vec![aw_fp.clone()], aw_target.clone()),
        (
            rgra,
            "iis",
            vec![rg_fp.clone(), int_fp.clone()],
            rg_target.clone(),
        ),
        (
            rgra,
            "dfp",
            vec![rg_fp.clone(), int_fp.clone()],
            rg_target.clone(),
        ),
    ];
    expected.sort();
    assert_eq!(seen, expected);
    for e in &a.evidence {
        let Source::Fetched(f) = &e.source else {
            unreachable!()
        };
        // The FQDN goes out as SNI even though the address is dialled.
        assert_eq!(f.sni.as_deref(), Some(inv.hosts[e.host].fqdn.as_str()));
        assert!(f.tls_version == "TLSv1.3" || f.tls_version == "TLSv1.2");
        assert!(before <= f.at && f.at <= after, "{f:?}");
    }

    // The AW's cacerts holds the lab root: the CA-signed Rogger is trusted, on both services.
    let edge = |imp: usize, exp: usize, svc: &str| {
        a.edges
            .iter()
            .find(|e| e.importer == imp && e.exporter == exp && e.service.key() == svc)
            .unwrap_or_else(|| panic!("no edge {imp} <- {exp} {svc}"))
    };
    assert_eq!(edge(awa, rgra, "iis").status, EdgeStatus::Trusted);
    assert_eq!(edge(awa, rgra, "dfp").status, EdgeStatus::Trusted);

    // Nobody trusts the AW's self-signed IIS certificate: the finding names the served one.
    // (The AW itself lacks its own IIS and DFP certificates too: CCE Administration reaches
    // every ADS by FQDN, its own included.)
    let (own, untrusted): (Vec<_>, Vec<_>) = a
        .with_code(Code::ChainUntrusted)
        .partition(|f| f.importer == f.exporter);
    assert_eq!(own.len(), 2, "{own:#?}");
    assert_eq!(untrusted.len(), 1, "{untrusted:#?}");
    let f = untrusted[0];
    assert_eq!(f.importer.as_deref(), Some(format!("rgra.{D}").as_str()));
    assert_eq!(f.exporter.as_deref(), Some(format!("awa.{D}").as_str()));
    assert_eq!(f.sha256.as_deref(), Some(aw_fp.as_str()));
    assert_eq!(edge(rgra, awa, "iis").status, EdgeStatus::Untrusted);

    // The PG: one finding for its one port (IIS and DFP both overridden to it), saying refused.
    let unreachable: Vec<_> = a.with_code(Code::EvidenceUnreachable).collect();
    assert_eq!(unreachable.len(), 1, "{unreachable:#?}");
    let u = unreachable[0];
    assert_eq!(u.host, format!("pga.{D}"));
    let detail = u.unreachable.as_ref().unwrap();
    assert_eq!(detail.kind, "refused");
    assert_eq!(detail.port, lab.dead);
    assert_eq!(detail.target, format!("127.0.0.1:{}", lab.dead));
    assert!(u.message.contains("refused"), "{}", u.message);
    assert!(u.message.contains(&detail.target), "{}", u.message);
    for svc in ["iis", "dfp"] {
        let e = edge(awa, pga, svc);
        assert_eq!(
            (e.status, e.code.as_str()),
            (EdgeStatus::Unknown, "evidence.unreachable")
        );
    }
    // Nothing was left uncollected, and every finding about a presented certificate is about
    // one of the two served ones.
    assert_eq!(a.with_code(Code::EvidenceNotCollected).count(), 0);
    for f in a.findings.iter().filter(|f| f.sha256.is_some()) {
        let h = f.sha256.as_deref().unwrap();
        assert!(
            [&aw_fp, &rg_fp, &int_fp].contains(&&h.to_string()),
            "{f:#?}"
        );
    }
}

#[test]
fn plain_http_a_silent_port_and_an_sni_alert_are_named_and_bounded_by_the_timeout() {
    let http = listener(speaks_http);
    let silent = listener(never_answers);
    // An IIS binding that requires SNI for another name: s_server answers any other name with
    // a fatal unrecognized_name alert (the certificates of tests/data/fetch, see its gen.sh).
    let fetch_data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/fetch");
    let sni = openssl_available().then(|| {
        SServer::start(
            &fetch_data,
            &[
                "-www",
                "-cert",
                "leaf.pem",
                "-key",
                "leaf.key",
                "-servername",
                "finesse.cce.test",
                "-cert2",
                "sni.pem",
                "-key2",
                "sni.key",
                "-servername_fatal",
            ],
        )
    });
    let dir = temp_dir("kinds");
    let mut text = format!(
        r#"[deployment]
product = "pcce"
version = "12.5"

[[host]]
fqdn = "weba.{D}"
roles = ["third-party-https"]
fetch = true
address = "127.0.0.1"
ports = {{ https = {http} }}

[[host]]
fqdn = "webb.{D}"
roles = ["third-party-https"]
fetch = true
address = "127.0.0.1"
ports = {{ https = {silent} }}
"#
    );
    if let Some(s) = &sni {
        text.push_str(&format!(
            "\n[[host]]\nfqdn = \"ecea.{D}\"\nroles = [\"ece-web\"]\nfetch = true\naddress = \"127.0.0.1\"\nports = {{ iis = {} }}\n",
            s.port
        ));
    }
    let inv = dir.join("inventory.toml");
    std::fs::write(&inv, text).unwrap();
    let opts = FetchOptions {
        connect_timeout: Duration::from_secs(2),
        handshake_timeout: Duration::from_secs(2),
        concurrency: 3,
        ..FetchOptions::default()
    };
    // All run at once (concurrency 3): well within the guard, whatever the machine.
    let (_, a) = audit_bounded(&inv, opts, Duration::from_secs(30));
    let mut kinds: Vec<(String, &str, Option<&str>)> = a
        .with_code(Code::EvidenceUnreachable)
        .map(|f| {
            let u = f.unreachable.as_ref().unwrap();
            (f.host.clone(), u.kind, u.alert)
        })
        .collect();
    kinds.sort();
    let mut expected = vec![
        (format!("weba.{D}"), "not_tls", None),
        (format!("webb.{D}"), "timeout_handshake", None),
    ];
    if sni.is_some() {
        expected.push((format!("ecea.{D}"), "tls_alert", Some("unrecognized_name")));
        let f = a
            .with_code(Code::EvidenceUnreachable)
            .find(|f| f.host == format!("ecea.{D}"))
            .unwrap();
        assert!(
            f.message.contains("(tls_alert unrecognized_name)"),
            "{}",
            f.message
        );
        assert!(f.remediation.contains("iis.sni"), "{}", f.remediation);
    }
    expected.sort();
    assert_eq!(kinds, expected);
    assert!(a.evidence.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

fn ccetrust(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ccetrust"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_cli_reports_where_evidence_came_from_and_offline_connects_nowhere() {
    if !openssl_available() {
        return;
    }
    let lab = lab();
    let inv = lab.inventory.to_str().unwrap();
    let out = ccetrust(&[
        "audit",
        "--json",
        "--fetch-timeout",
        "5",
        "--fetch-concurrency",
        "2",
        inv,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["schema"], "ccetrust.cce-audit/1");
    // What a fetched chain adds to the document is what docs/audit-schema.md documents (the
    // rest of the document is held to it in cce_cli.rs).
    let mut printed = std::collections::BTreeSet::new();
    cce_support::schema::json_keys(&doc, &mut printed);
    for k in cce_support::schema::FETCHED_ONLY {
        assert!(printed.contains(*k), "`{k}` is documented but not printed");
    }
    let documented = cce_support::schema::doc_keys();
    let undocumented: Vec<_> = printed.difference(&documented).collect();
    assert!(
        undocumented.is_empty(),
        "printed but not in docs/audit-schema.md: {undocumented:?}"
    );
    let hosts = doc["hosts"].as_array().unwrap();
    let aw = hosts
        .iter()
        .find(|h| h["fqdn"] == format!("awa.{D}"))
        .unwrap();
    assert_eq!(aw["fetch"], true);
    assert_eq!(aw["address"], "127.0.0.1");
    let ev = aw["evidence"].as_array().unwrap();
    assert_eq!(ev.len(), 2, "{ev:#?}");
    for e in ev {
        assert_eq!(e["source"], "fetched");
        assert_eq!(e["port"], lab.aw.port);
        assert_eq!(e["target"], format!("127.0.0.1:{}", lab.aw.port));
        assert_eq!(
            e["chain_sha256"][0],
            openssl_sha256(&lab.dir.join("awa.pem"))
        );
        assert!(Timestamp::parse_rfc3339(e["fetched_at"].as_str().unwrap()).is_some());
    }
    let findings = doc["findings"].as_array().unwrap();
    let u = findings
        .iter()
        .find(|f| f["code"] == "evidence.unreachable")
        .unwrap();
    assert_eq!(u["host"], format!("pga.{D}"));
    assert_eq!(u["severity"], "warning");
    assert_eq!(u["unreachable"]["error_kind"], "refused");
    assert_eq!(u["unreachable"]["port"], lab.dead);
    assert_eq!(
        u["unreachable"]["services"],
        serde_json::json!(["iis", "dfp"])
    );
    // Edges carry the port actually used.
    let e = doc["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["exporter"] == format!("rgra.{D}") && e["service"] == "dfp")
        .unwrap();
    assert_eq!(e["port"], lab.rogger.port);
    assert_eq!(e["status"], "trusted");

    // The text report lists the fetched chains.
    let out = ccetrust(&["audit", "--fetch-timeout", "5", inv]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "EVIDENCE: 0 chains from files, 4 fetched from live servers, 1 ports unreachable"
        ),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "awa.{D} iis: fetched from 127.0.0.1:{}",
            lab.aw.port
        )),
        "{text}"
    );

    // So does the change ticket, with the leaf fingerprints.
    let out = ccetrust(&["audit", "--format", "markdown", "--fetch-timeout", "5", inv]);
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(
        md.contains("- Evidence: 0 chains from exported files, 4 fetched from live servers, 1 ports unreachable"),
        "{md}"
    );
    let rg_fp = openssl_sha256(&lab.dir.join("rgra.pem"));
    assert!(
        md.lines().any(|l| l.starts_with(&format!(
            "| rgra.{D} | iis | fetched from 127.0.0.1:{}",
            lab.rogger.port
        )) && l.ends_with(&format!("| `{rg_fp}` |"))),
        "{md}"
    );

    // --offline: no connection at all. A listener stands on every port the inventory names
    // for the PG; nothing may knock.
    let guard = TcpListener::bind(("127.0.0.1", lab.dead)).unwrap();
    guard.set_nonblocking(true).unwrap();
    let out = ccetrust(&["audit", "--json", "--offline", inv]);
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let not_collected: Vec<&serde_json::Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "evidence.not-collected")
        .collect();
    assert_eq!(not_collected.len(), 3, "{not_collected:#?}");
    assert!(not_collected
        .iter()
        .all(|f| f["message"].as_str().unwrap().contains("--offline")));
    assert!(doc["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["evidence"].as_array().unwrap().is_empty()));
    assert!(
        matches!(guard.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "--offline connected to the PG's port"
    );
}
