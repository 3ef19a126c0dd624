//! `fetch_chain`, `fetch_many` and `ccetrust fetch` against real servers on 127.0.0.1:
//! `openssl s_server` serving the chain made by `tests/data/fetch/gen.sh`, and small TCP
//! listeners that misbehave (close, speak HTTP, never answer). Fingerprints are compared with
//! what `openssl x509` computes from the served files. Every server listens on 127.0.0.1
//! only, on a port the OS picked, and stops by itself (`-naccept`, a bounded wait, or Drop).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod tls_support;
mod tool_support;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use tls_support::{free_port, openssl_available, openssl_sha256, SServer};

use ccetrust::fetch::{fetch_chain, fetch_many, FetchError, FetchTarget, Phase, Sni, Timeouts};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data/fetch")
        .join(name)
}

/// DER of a PEM certificate file as `openssl x509` re-encodes it.
fn openssl_der(file: &Path) -> Vec<u8> {
    let out = Command::new("openssl")
        .args(["x509", "-outform", "DER", "-in"])
        .arg(file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", file.display());
    out.stdout
}

/// `openssl s_server -www` presenting the fixture leaf and intermediate, serving at most
/// `naccept` connections.
fn serve(naccept: u32, extra: &[&str]) -> SServer {
    let (leaf, key, chain) = (data("leaf.pem"), data("leaf.key"), data("intermediate.pem"));
    let naccept = naccept.to_string();
    let mut args = vec![
        "-cert",
        leaf.to_str().unwrap(),
        "-key",
        key.to_str().unwrap(),
        "-cert_chain",
        chain.to_str().unwrap(),
        "-www",
        "-naccept",
        naccept.as_str(),
    ];
    args.extend_from_slice(extra);
    SServer::start(Path::new("."), &args)
}

/// A TCP listener on 127.0.0.1 that handles exactly one connection with `behaviour`, then
/// stops. If nobody connects within 20 s it stops anyway.
fn one_shot_listener(behaviour: impl FnOnce(TcpStream) + Send + 'static) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    thread::spawn(move || {
        for _ in 0..2000 {
            match listener.accept() {
                Ok((s, _)) => {
                    s.set_nonblocking(false).unwrap();
                    behaviour(s);
                    return;
                }
                Err(_) => thread::sleep(Duration::from_millis(10)),
            }
        }
    });
    port
}

/// Reads what the client sent first (its ClientHello), bounded in time.
fn read_client_hello(s: &mut TcpStream) -> usize {
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut buf = [0u8; 4096];
    s.read(&mut buf).unwrap_or(0)
}

/// Runs a fetch on a thread and fails the test if it has not returned within `bound`: the
/// guard against a hang, far above the timeouts under test.
fn fetch_bounded(
    host: &str,
    port: u16,
    sni: Sni,
    timeouts: Timeouts,
    bound: Duration,
) -> Result<ccetrust::FetchedChain, FetchError> {
    let (tx, rx) = mpsc::channel();
    let host = host.to_string();
    thread::spawn(move || {
        let _ = tx.send(fetch_chain(&host, port, sni, timeouts));
    });
    rx.recv_timeout(bound)
        .expect("fetch_chain did not return within its timeouts")
}

fn quick() -> Timeouts {
    Timeouts {
        connect: Duration::from_secs(5),
        handshake: Duration::from_secs(10),
    }
}

#[test]
fn the_chain_comes_back_in_order_with_the_served_fingerprints() {
    if !openssl_available() {
        return;
    }
    let server = serve(1, &[]);
    let got = fetch_chain("127.0.0.1", server.port, Sni::Auto, quick()).unwrap();
    assert_eq!(got.sni, None, "no SNI for an IP address");
    assert_eq!(got.port, server.port);
    assert_eq!(
        got.address.to_string(),
        format!("127.0.0.1:{}", server.port)
    );
    let fps: Vec<String> = got.certificates.iter().map(|c| c.sha256_hex()).collect();
    assert_eq!(
        fps,
        vec![
            openssl_sha256(&data("leaf.pem")),
            openssl_sha256(&data("intermediate.pem"))
        ]
    );
    assert_eq!(got.certificates[0].der(), openssl_der(&data("leaf.pem")));
    // OpenSSL 3 prefers TLS 1.3 when both sides offer it.
    assert_eq!(got.tls_version, "TLSv1.3");
}

#[test]
fn tls12_only_server() {
    if !openssl_available() {
        return;
    }
    let server = serve(1, &["-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"]);
    let got = fetch_chain("127.0.0.1", server.port, Sni::Auto, quick()).unwrap();
    assert_eq!(got.tls_version, "TLSv1.2");
    // The IANA name of OpenSSL's ECDHE-RSA-AES128-GCM-SHA256 (RFC 5289).
    assert_eq!(got.cipher_suite, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    assert_eq!(got.certificates.len(), 2);
    assert_eq!(
        got.certificates[1].sha256_hex(),
        openssl_sha256(&data("intermediate.pem"))
    );
}

#[test]
fn tls13_only_server() {
    if !openssl_available() {
        return;
    }
    let server = serve(
        1,
        &["-tls1_3", "-ciphersuites", "TLS_CHACHA20_POLY1305_SHA256"],
    );
    let got = fetch_chain("127.0.0.1", server.port, Sni::Auto, quick()).unwrap();
    assert_eq!(got.tls_version, "TLSv1.3");
    assert_eq!(got.cipher_suite, "TLS_CHACHA20_POLY1305_SHA256");
    assert_eq!(
        got.certificates[0].sha256_hex(),
        openssl_sha256(&data("leaf.pem"))
    );
}

#[test]
fn a_server_that_requires_sni() {
    if !openssl_available() {
        return;
    }
    // s_server answers a ClientHello naming anything but finesse.cce.test with a fatal
    // unrecognized_name alert, serves sni.pem to finesse.cce.test, and its default chain
    // to clients that send no SNI at all.
    let server = serve(
        4,
        &[
            "-servername",
            "finesse.cce.test",
            "-cert2",
            data("sni.pem").to_str().unwrap(),
            "-key2",
            data("sni.key").to_str().unwrap(),
            "-servername_fatal",
        ],
    );
    let port = server.port;

    let named = fetch_chain(
        "127.0.0.1",
        port,
        Sni::Name("finesse.cce.test".into()),
        quick(),
    )
    .unwrap();
    assert_eq!(named.sni.as_deref(), Some("finesse.cce.test"));
    assert_eq!(named.certificates.len(), 1);
    assert_eq!(
        named.certificates[0].sha256_hex(),
        openssl_sha256(&data("sni.pem"))
    );

    // A DNS name sends itself as SNI by default: "localhost" is not the name the server wants.
    let e = fetch_chain("localhost", port, Sni::Auto, quick()).unwrap_err();
    match &e {
        FetchError::Alert { name, code, .. } => {
            assert_eq!((*name, *code), ("unrecognized_name", 112), "{e}")
        }
        other => panic!("expected an alert, got {other}"),
    }
    assert_eq!(e.kind(), "tls_alert");
    assert!(e.to_string().contains("unrecognized_name"), "{e}");

    // The same name with SNI switched off gets the default chain.
    let off = fetch_chain("localhost", port, Sni::Off, quick()).unwrap();
    assert_eq!(off.sni, None);
    assert_eq!(
        off.certificates[0].sha256_hex(),
        openssl_sha256(&data("leaf.pem"))
    );

    let by_ip = fetch_chain("127.0.0.1", port, Sni::Auto, quick()).unwrap();
    assert_eq!(by_ip.sni, None);
    assert_eq!(by_ip.certificates.len(), 2);
}

/// The subject of a PEM certificate in RFC 4514 order, as `openssl x509` prints it.
fn openssl_subject_rfc4514(file: &Path) -> String {
    let out = Command::new("openssl")
        .args(["x509", "-noout", "-subject", "-nameopt", "RFC2253", "-in"])
        .arg(file)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    text.trim().trim_start_matches("subject=").to_string()
}

#[test]
fn a_server_that_requires_a_client_certificate() {
    if !openssl_available() {
        return;
    }
    // -Verify 1: a client certificate is mandatory; -CAfile names the root as the only
    // acceptable issuer in the CertificateRequest (what a CTI server's store would list).
    let root = data("root.pem");
    let root = root.to_str().unwrap();
    for (version, completes) in [("-tls1_2", false), ("-tls1_3", true)] {
        let server = serve(1, &[version, "-Verify", "1", "-CAfile", root]);
        let got = fetch_chain("127.0.0.1", server.port, Sni::Auto, quick())
            .unwrap_or_else(|e| panic!("{version}: {e}"));
        // TLS 1.2: the server aborts after our empty Certificate; TLS 1.3: our side of the
        // handshake is complete before the server looks at our (empty) certificate.
        assert_eq!(got.handshake_completed, completes, "{version}");
        assert!(got.client_certificate_requested, "{version}");
        let cas: Vec<String> = got
            .acceptable_client_cas
            .iter()
            .map(|n| n.to_rfc4514())
            .collect();
        assert_eq!(
            cas,
            vec![openssl_subject_rfc4514(&data("root.pem"))],
            "{version}"
        );
        let fps: Vec<String> = got.certificates.iter().map(|c| c.sha256_hex()).collect();
        assert_eq!(
            fps,
            vec![
                openssl_sha256(&data("leaf.pem")),
                openssl_sha256(&data("intermediate.pem"))
            ],
            "{version}"
        );
    }
    // A server that does not ask says so.
    let server = serve(1, &[]);
    let got = fetch_chain("127.0.0.1", server.port, Sni::Auto, quick()).unwrap();
    assert!(got.handshake_completed);
    assert!(!got.client_certificate_requested);
    assert!(got.acceptable_client_cas.is_empty());
}

/// A rustls server on 127.0.0.1 for one connection, serving the fixture chain; reports how
/// many bytes of application data it received, whether the client sent close_notify, and
/// whether the handshake finished on its side.
fn recording_rustls_server(
    versions: &'static [&'static rustls::SupportedProtocolVersion],
) -> (u16, mpsc::Receiver<(usize, bool, bool)>) {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let chain = vec![
        CertificateDer::from_pem_file(data("leaf.pem")).unwrap(),
        CertificateDer::from_pem_file(data("intermediate.pem")).unwrap(),
    ];
    let key = PrivateKeyDer::from_pem_file(data("leaf.key")).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_protocol_versions(versions)
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(chain, key)
    .unwrap();
    let (tx, rx) = mpsc::channel();
    let port = one_shot_listener(move |mut s| {
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut conn = rustls::ServerConnection::new(std::sync::Arc::new(config)).unwrap();
        let mut application_data = 0;
        let mut close_notify = false;
        'io: loop {
            while conn.wants_write() {
                if conn.write_tls(&mut s).is_err() {
                    break 'io;
                }
            }
            match conn.read_tls(&mut s) {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
            let Ok(state) = conn.process_new_packets() else {
                break;
            };
            let mut buf = [0u8; 1024];
            while let Ok(n) = conn.reader().read(&mut buf) {
                if n == 0 {
                    break;
                }
                application_data += n;
            }
            if state.peer_has_closed() {
                close_notify = true;
                break;
            }
        }
        let _ = tx.send((application_data, close_notify, !conn.is_handshaking()));
    });
    (port, rx)
}

#[test]
fn no_application_data_is_sent_and_the_goodbye_is_clean() {
    static TLS12: [&rustls::SupportedProtocolVersion; 1] = [&rustls::version::TLS12];
    static TLS13: [&rustls::SupportedProtocolVersion; 1] = [&rustls::version::TLS13];
    for versions in [&TLS12[..], &TLS13[..]] {
        let (port, report) = recording_rustls_server(versions);
        let got = fetch_chain("127.0.0.1", port, Sni::Auto, quick()).unwrap();
        assert_eq!(got.certificates.len(), 2);
        let (application_data, close_notify, handshake_done) =
            report.recv_timeout(Duration::from_secs(15)).unwrap();
        assert_eq!(
            application_data, 0,
            "{}: the client sent application data",
            got.tls_version
        );
        assert!(close_notify, "{}: no close_notify", got.tls_version);
        assert!(
            handshake_done,
            "{}: the server's handshake did not finish",
            got.tls_version
        );
    }
}

#[test]
fn a_server_that_closes_the_connection() {
    let port = one_shot_listener(|mut s| {
        let _ = read_client_hello(&mut s);
        // dropped: FIN without a word
    });
    let e = fetch_bounded(
        "127.0.0.1",
        port,
        Sni::Auto,
        quick(),
        Duration::from_secs(30),
    )
    .unwrap_err();
    assert!(
        matches!(e, FetchError::Closed { received: 0, .. }),
        "expected Closed, got {e}"
    );
    assert_eq!(e.kind(), "closed");
}

#[test]
fn a_server_that_is_not_tls() {
    // A plain-HTTP listener that speaks first, like a banner.
    let port = one_shot_listener(|mut s| {
        let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        let _ = read_client_hello(&mut s);
    });
    let e = fetch_bounded(
        "127.0.0.1",
        port,
        Sni::Auto,
        quick(),
        Duration::from_secs(30),
    )
    .unwrap_err();
    match &e {
        FetchError::NotTls { answer, .. } => assert_eq!(answer, "\"HTTP/1.1 400 Bad Request\""),
        other => panic!("expected NotTls, got {other}"),
    }
    assert_eq!(e.kind(), "not_tls");

    // One that reads the ClientHello, answers HTTP and hangs up, as a real HTTP server does.
    let port = one_shot_listener(|mut s| {
        let _ = read_client_hello(&mut s);
        let _ = s.write_all(b"HTTP/1.0 400 Bad request\r\n\r\n");
    });
    let e = fetch_bounded(
        "127.0.0.1",
        port,
        Sni::Auto,
        quick(),
        Duration::from_secs(30),
    )
    .unwrap_err();
    assert!(
        matches!(&e, FetchError::NotTls { answer, .. } if answer.contains("HTTP/1.0 400")),
        "{e}"
    );
}

#[test]
fn nothing_listening_is_refused() {
    let port = free_port();
    let e = fetch_bounded(
        "127.0.0.1",
        port,
        Sni::Auto,
        quick(),
        Duration::from_secs(30),
    )
    .unwrap_err();
    assert!(matches!(e, FetchError::Refused { .. }), "{e}");
    assert_eq!(e.kind(), "refused");
}

#[test]
fn a_black_holed_handshake_times_out() {
    let (stop_tx, stop_rx) = mpsc::channel::<()>();
    let port = one_shot_listener(move |s| {
        // Accept, never answer; hold the socket until the test is done (at most 20 s).
        let _ = stop_rx.recv_timeout(Duration::from_secs(20));
        drop(s);
    });
    let timeouts = Timeouts {
        connect: Duration::from_secs(5),
        handshake: Duration::from_millis(400),
    };
    let e = fetch_bounded(
        "127.0.0.1",
        port,
        Sni::Auto,
        timeouts,
        Duration::from_secs(15),
    )
    .unwrap_err();
    let _ = stop_tx.send(());
    match &e {
        FetchError::Timeout { phase, after, .. } => {
            assert_eq!(*phase, Phase::Handshake);
            assert_eq!(*after, Duration::from_millis(400));
        }
        other => panic!("expected a handshake timeout, got {other}"),
    }
    assert_eq!(e.kind(), "timeout_handshake");
    assert!(
        e.to_string().contains("TLS handshake timed out after 0.4s"),
        "{e}"
    );
}

#[test]
fn an_exhausted_connect_budget_is_a_connect_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let timeouts = Timeouts {
        connect: Duration::ZERO,
        handshake: Duration::from_secs(5),
    };
    let e = fetch_chain("127.0.0.1", port, Sni::Auto, timeouts).unwrap_err();
    assert!(
        matches!(
            e,
            FetchError::Timeout {
                phase: Phase::Connect,
                ..
            }
        ),
        "{e}"
    );
    assert_eq!(e.kind(), "timeout_connect");
}

#[test]
fn fetch_many_keeps_order_and_says_which_failed() {
    if !openssl_available() {
        return;
    }
    let server = serve(2, &[]);
    let refused = free_port();
    let not_tls = one_shot_listener(|mut s| {
        let _ = s.write_all(b"SSH-2.0-OpenSSH_9.6\r\n");
        let _ = read_client_hello(&mut s);
    });
    let targets = vec![
        FetchTarget::new("127.0.0.1", server.port),
        FetchTarget::new("127.0.0.1", refused),
        FetchTarget::new("127.0.0.1", not_tls),
        FetchTarget {
            host: "localhost".into(),
            port: server.port,
            sni: Sni::Off,
        },
    ];
    let results = fetch_many(&targets, 2, quick());
    assert_eq!(results.len(), 4);
    for ((t, _), want) in results.iter().zip(&targets) {
        assert_eq!(t, want, "results come back in the order of the targets");
    }
    let leaf = openssl_sha256(&data("leaf.pem"));
    assert_eq!(
        results[0].1.as_ref().unwrap().certificates[0].sha256_hex(),
        leaf
    );
    assert_eq!(results[1].1.as_ref().unwrap_err().kind(), "refused");
    assert_eq!(results[2].1.as_ref().unwrap_err().kind(), "not_tls");
    assert_eq!(
        results[3].1.as_ref().unwrap().certificates[0].sha256_hex(),
        leaf
    );
}

#[test]
fn fetch_many_never_opens_more_connections_than_allowed() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    // A listener that holds each connection open for a moment, counting how many are open
    // at once, then closes it. It serves exactly `n` connections (or gives up after 20 s).
    let n = 6;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    let open = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let (open2, peak2) = (open.clone(), peak.clone());
    let server = thread::spawn(move || {
        let mut served = 0;
        let mut handlers = Vec::new();
        for _ in 0..2000 {
            if served == n {
                break;
            }
            match listener.accept() {
                Ok((mut s, _)) => {
                    served += 1;
                    let now = open2.fetch_add(1, Ordering::SeqCst) + 1;
                    peak2.fetch_max(now, Ordering::SeqCst);
                    let open3 = open2.clone();
                    handlers.push(thread::spawn(move || {
                        s.set_nonblocking(false).unwrap();
                        let _ = read_client_hello(&mut s);
                        thread::sleep(Duration::from_millis(100));
                        open3.fetch_sub(1, Ordering::SeqCst);
                        // dropping `s` closes it; the count went down first.
                    }));
                }
                Err(_) => thread::sleep(Duration::from_millis(5)),
            }
        }
        for h in handlers {
            let _ = h.join();
        }
    });
    let targets: Vec<FetchTarget> = (0..n)
        .map(|_| FetchTarget::new("127.0.0.1", port))
        .collect();
    let results = fetch_many(&targets, 2, quick());
    server.join().unwrap();
    assert_eq!(results.len(), n);
    for (_, r) in &results {
        assert_eq!(r.as_ref().unwrap_err().kind(), "closed");
    }
    let peak = peak.load(Ordering::SeqCst);
    assert!(
        (1..=2).contains(&peak),
        "{peak} connections were open at once"
    );
}

// ---- the CLI ----

fn ccetrust(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ccetrust"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn cli_prints_the_chain_as_json() {
    if !openssl_available() {
        return;
    }
    let server = serve(1, &["-tls1_2", "-cipher", "ECDHE-RSA-AES256-GCM-SHA384"]);
    let target = format!("127.0.0.1:{}", server.port);
    let out = ccetrust(&["fetch", "--json", "--timeout", "5", &target]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["host"], "127.0.0.1");
    assert_eq!(v["port"], server.port);
    assert_eq!(v["sni"], serde_json::Value::Null);
    assert_eq!(v["tls_version"], "TLSv1.2");
    assert_eq!(v["cipher_suite"], "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
    assert_eq!(v["handshake_completed"], true);
    assert_eq!(v["client_certificate_requested"], false);
    assert_eq!(v["acceptable_client_cas"], serde_json::json!([]));
    let chain = v["chain"].as_array().unwrap();
    assert_eq!(chain.len(), 2);
    assert_eq!(chain[0]["sha256"], openssl_sha256(&data("leaf.pem")));
    assert_eq!(chain[0]["subject"], "CN=localhost,O=ccetrust tests");
    assert_eq!(chain[0]["index"], 0);
    assert_eq!(
        chain[1]["sha256"],
        openssl_sha256(&data("intermediate.pem"))
    );
    assert_eq!(chain[1]["is_ca"], true);
}

#[test]
fn cli_writes_pem_files_openssl_reads_back() {
    if !openssl_available() {
        return;
    }
    let server = serve(1, &[]);
    let dir = std::env::temp_dir().join(format!("ccetrust-fetch-out-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let target = format!("localhost:{}", server.port);
    let out = ccetrust(&["fetch", "--no-sni", "--out", dir.to_str().unwrap(), &target]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("CN=CCE Test Issuing CA"), "{text}");
    assert!(text.contains("SNI (none)"), "{text}");
    let leaf = dir.join(format!("localhost_{}.pem", server.port));
    let ca1 = dir.join(format!("localhost_{}.ca1.pem", server.port));
    assert_eq!(openssl_der(&leaf), openssl_der(&data("leaf.pem")));
    assert_eq!(openssl_der(&ca1), openssl_der(&data("intermediate.pem")));
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cli_reports_fetch_errors_by_kind() {
    let port = free_port();
    let out = ccetrust(&["fetch", "--json", &format!("127.0.0.1:{port}")]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["kind"], "refused");

    let out = ccetrust(&["fetch", "--json", "host:99999"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["kind"], "usage");

    let out = ccetrust(&["fetch", "--sni", "a.example", "--no-sni", "h"]);
    assert_eq!(out.status.code(), Some(2), "--sni and --no-sni conflict");
    let out = ccetrust(&["fetch", "--timeout", "-1", "h"]);
    assert_eq!(out.status.code(), Some(2));
}
