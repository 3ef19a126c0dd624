//! Collecting the certificate chain a live server presents (feature `fetch`).
//!
//! Administrators today open a browser on the AW, click the padlock and export "Base-64
//! encoded X.509" from every IIS (443), every Diagnostic Framework Portico (7890), every VOS
//! node's Tomcat (8443) — one server at a time. [`fetch_chain`] does one of those in a call:
//! it completes a TLS 1.2 or 1.3 handshake with rustls, trusting nothing and sending no
//! application data, and returns every certificate the server sent, in the order it sent
//! them, with the negotiated protocol version and cipher suite. [`fetch_many`] does it for
//! a list of servers with a bound on how many connections are open at once, for the audit.
//!
//! The verifier that lets a handshake with an untrusted server finish lives in a private
//! module and is used by nothing but [`fetch_chain`]; see `capture.rs`.

mod capture;
mod error;
mod handshake;
mod sniff;

use std::io::ErrorKind;
use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use rustls::pki_types::ServerName;

pub use error::{alert_name, FetchError, Phase};

use crate::Certificate;
use handshake::Handshake;

/// The port `fetch` uses when none is given: HTTPS, where IIS and VOS Tomcat listen.
pub const DEFAULT_PORT: u16 = 443;

/// Which server name to send in the TLS `server_name` extension (SNI, RFC 6066 §3).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Sni {
    /// The host name when the host is a DNS name; nothing when it is an IP address
    /// (RFC 6066 forbids IP literals in SNI).
    #[default]
    Auto,
    /// Send no SNI, even for a DNS name: how an old client, or a Java client given an IP,
    /// reaches the server. An IIS binding that then fails is finding `iis.sni`.
    Off,
    /// Send this name, whatever the host is (reach a server by IP, present its FQDN).
    Name(String),
}

/// How long each phase of a fetch may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Name resolution plus the TCP connect, across every address the name resolves to.
    pub connect: Duration,
    /// The TLS handshake, from the ClientHello to the server's last handshake message.
    pub handshake: Duration,
}

impl Default for Timeouts {
    /// 5 s to connect, 10 s for the handshake: generous for a LAN, short enough that an
    /// audit of a hundred servers with a few dead ones still finishes.
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(5),
            handshake: Duration::from_secs(10),
        }
    }
}

impl Timeouts {
    /// The same timeout for both phases (the CLI's `--timeout S`).
    pub fn both(each: Duration) -> Self {
        Timeouts {
            connect: each,
            handshake: each,
        }
    }
}

/// One server to collect from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchTarget {
    /// A DNS name or an IP address.
    pub host: String,
    /// The TCP port.
    pub port: u16,
    /// What to send as SNI.
    pub sni: Sni,
}

impl FetchTarget {
    /// A target with SNI [`Sni::Auto`].
    pub fn new(host: impl Into<String>, port: u16) -> Self {
        FetchTarget {
            host: host.into(),
            port,
            sni: Sni::Auto,
        }
    }

    /// Reads `HOST`, `HOST:PORT`, `[IPv6]:PORT`, a bare IPv6 address, or an `https://` URL
    /// as copied from a browser (the DFP URL `https://host:7890/icm-dp/rest/...`): the path is
    /// ignored. The port defaults to 443.
    pub fn parse(input: &str) -> Result<FetchTarget, FetchError> {
        let bad = |reason: &str| FetchError::InvalidTarget {
            input: input.to_string(),
            reason: reason.to_string(),
        };
        let mut rest = input.trim();
        if let Some(i) = rest.find("://") {
            let scheme = rest.get(..i).unwrap_or_default();
            if !scheme.eq_ignore_ascii_case("https") {
                return Err(bad("only https:// URLs name a TLS server"));
            }
            rest = rest.get(i + 3..).unwrap_or_default();
            rest = rest.split(['/', '?', '#']).next().unwrap_or_default();
        }
        let (host, port) = if let Some(after) = rest.strip_prefix('[') {
            let Some(close) = after.find(']') else {
                return Err(bad("'[' without ']'"));
            };
            let host = after.get(..close).unwrap_or_default();
            let tail = after.get(close + 1..).unwrap_or_default();
            let port = match tail {
                "" => None,
                t => Some(t.strip_prefix(':').ok_or_else(|| bad("text after ']'"))?),
            };
            if host.parse::<std::net::Ipv6Addr>().is_err() {
                return Err(bad("brackets must hold an IPv6 address"));
            }
            (host, port)
        } else if rest.matches(':').count() > 1 {
            // A bare IPv6 address: every colon belongs to it.
            if rest.parse::<std::net::Ipv6Addr>().is_err() {
                return Err(bad("not an IPv6 address (write [addr]:port)"));
            }
            (rest, None)
        } else {
            match rest.split_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (rest, None),
            }
        };
        if host.is_empty() {
            return Err(bad("no host"));
        }
        if host
            .chars()
            .any(|c| c.is_whitespace() || c == '/' || c == '@')
        {
            return Err(bad("the host contains a space, '/' or '@'"));
        }
        let port = match port {
            None => DEFAULT_PORT,
            Some(p) => match p.parse::<u16>() {
                Ok(0) | Err(_) => return Err(bad("the port must be a number from 1 to 65535")),
                Ok(n) => n,
            },
        };
        Ok(FetchTarget::new(host, port))
    }

    /// `host:port` (`[v6]:port`), as printed in messages.
    pub fn display(&self) -> String {
        display_target(&self.host, self.port)
    }
}

fn display_target(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// What a server presented.
#[derive(Debug, Clone)]
pub struct FetchedChain {
    /// The host as given.
    pub host: String,
    /// The port.
    pub port: u16,
    /// The address actually connected to.
    pub address: SocketAddr,
    /// The SNI name sent, if any.
    pub sni: Option<String>,
    /// `TLSv1.2` or `TLSv1.3`.
    pub tls_version: String,
    /// The IANA name of the negotiated cipher suite (`TLS_AES_256_GCM_SHA384`,
    /// `TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`).
    pub cipher_suite: String,
    /// Every certificate of the server's Certificate message, in the order sent (leaf first
    /// on a correctly configured server).
    pub certificates: Vec<Certificate>,
    /// False when the server ended the handshake after sending (and signing for) its chain
    /// because we presented no client certificate: mutual TLS, typical of TLS 1.2 servers
    /// that require one. The chain is complete; the connection was not.
    pub handshake_completed: bool,
    /// Whether the server asked for a client certificate (a CertificateRequest).
    pub client_certificate_requested: bool,
    /// The CA names the server listed as acceptable issuers of client certificates, in its
    /// order: for a mutual-TLS server (the CTI server, a PG), what its store trusts.
    pub acceptable_client_cas: Vec<crate::DistinguishedName>,
    /// How many of those names did not decode as X.501 names (and are not in the list).
    pub undecodable_client_ca_names: usize,
    /// When the chain was received (the end of the handshake), for reports that say when a
    /// server presented what.
    pub received_at: crate::Timestamp,
}

/// The PEM file name `fetch --out` gives the certificate at `position` of a server's chain.
///
/// The stem is the host (lower-cased; characters Windows forbids in file names become `_`),
/// followed by `_{port}` unless the port is 443: `rgra.example.com` for IIS,
/// `rgra.example.com_7890` for the Diagnostic Portico. The leaf is `{stem}.pem`, the
/// certificate the server sent in position *n* ≥ 1 (its intermediates and root)
/// `{stem}.ca{n}.pem`: the browser export's "Base-64 encoded X.509", one file per
/// certificate, ready for `keytool -import` or a VOS `tomcat-trust` upload.
pub fn pem_file_name(host: &str, port: u16, position: usize) -> String {
    let mut stem: String = host
        .chars()
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*' => '_',
            c if c.is_control() => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    if port != DEFAULT_PORT {
        stem.push_str(&format!("_{port}"));
    }
    if position == 0 {
        format!("{stem}.pem")
    } else {
        format!("{stem}.ca{position}.pem")
    }
}

/// Connects to `host:port`, completes a TLS handshake without trusting the server, and
/// returns the certificates it presented. Sends no application data: after the handshake
/// it sends `close_notify` and closes.
pub fn fetch_chain(
    host: &str,
    port: u16,
    sni: Sni,
    timeouts: Timeouts,
) -> Result<FetchedChain, FetchError> {
    let target = display_target(host, port);
    let host_ip = host.parse::<IpAddr>().ok();
    let (sni_name, server_name) = server_names(host, host_ip, sni)?;
    let capture = Arc::new(capture::Capture::default());
    let config = capture::capture_config(sni_name.is_some(), capture.clone()).map_err(|e| {
        FetchError::Io {
            target: target.clone(),
            source: std::io::Error::other(e.to_string()),
        }
    })?;

    let connect_deadline = Instant::now() + timeouts.connect;
    let addrs = resolve(
        host,
        port,
        host_ip,
        &target,
        timeouts.connect,
        connect_deadline,
        system_lookup,
    )?;
    let (mut sock, address) = connect(&addrs, &target, timeouts.connect, connect_deadline)?;
    let _ = sock.set_nodelay(true);
    let mut conn = rustls::ClientConnection::new(Arc::new(config), server_name).map_err(|e| {
        FetchError::Handshake {
            addr: address,
            detail: e.to_string(),
        }
    })?;

    let mut handshake = Handshake {
        conn: &mut conn,
        sock: &mut sock,
        address,
        target: &target,
        budget: timeouts.handshake,
        deadline: Instant::now() + timeouts.handshake,
    };
    let result = handshake.run();
    let received_at = crate::Timestamp::now();
    let handshake_completed = match result {
        Ok(()) => true,
        // A server that requires a client certificate (mutual TLS, as the CTI server's secure
        // port does) aborts a TLS 1.2 handshake only after it has sent, and signed for, its
        // chain: that chain is still what we came for.
        Err(FetchError::Alert { .. } | FetchError::Closed { .. })
            if capture.client_auth().is_some()
                && capture.signature_verified()
                && !capture.chain().is_empty() =>
        {
            false
        }
        Err(e) => return Err(e),
    };
    handshake.close(handshake_completed);
    presented(&conn, &capture, address).map(|p| FetchedChain {
        host: host.to_string(),
        port,
        address,
        sni: sni_name,
        tls_version: p.tls_version,
        cipher_suite: p.cipher_suite,
        certificates: p.certificates,
        handshake_completed,
        client_certificate_requested: p.client_certificate_requested,
        acceptable_client_cas: p.acceptable_client_cas,
        undecodable_client_ca_names: p.undecodable_client_ca_names,
        received_at,
    })
}

/// The SNI name to send (if any) and the name rustls is given, which it wants even
/// without SNI; an IP address never produces SNI.
fn server_names(
    host: &str,
    host_ip: Option<IpAddr>,
    sni: Sni,
) -> Result<(Option<String>, ServerName<'static>), FetchError> {
    let sni_name = match sni {
        Sni::Auto if host_ip.is_none() => Some(host.trim_end_matches('.').to_string()),
        Sni::Auto | Sni::Off => None,
        Sni::Name(n) => Some(n),
    };
    let server_name: ServerName<'static> = match (&sni_name, host_ip) {
        (Some(n), _) => ServerName::try_from(n.clone())
            .map_err(|_| FetchError::InvalidSni { name: n.clone() })?,
        (None, Some(ip)) => ServerName::IpAddress(ip.into()),
        // Never sent (SNI off) and only shown to the capture verifier, which ignores it:
        // a host rustls would not accept as a DNS name still gets fetched.
        (None, None) => ServerName::try_from(host.to_string())
            .unwrap_or(ServerName::IpAddress(IpAddr::from([0u8, 0, 0, 0]).into())),
    };
    if let (Some(n), ServerName::IpAddress(_)) = (&sni_name, &server_name) {
        // `--sni 10.0.0.1`: RFC 6066 does not allow it and rustls would silently drop it.
        return Err(FetchError::InvalidSni { name: n.clone() });
    }
    Ok((sni_name, server_name))
}

/// What the server presented and negotiated, read off the finished (or mutual-TLS
/// aborted) connection.
struct Presented {
    tls_version: String,
    cipher_suite: String,
    certificates: Vec<Certificate>,
    client_certificate_requested: bool,
    acceptable_client_cas: Vec<crate::DistinguishedName>,
    undecodable_client_ca_names: usize,
}

fn presented(
    conn: &rustls::ClientConnection,
    capture: &capture::Capture,
    address: SocketAddr,
) -> Result<Presented, FetchError> {
    let tls_version = match conn.protocol_version() {
        Some(rustls::ProtocolVersion::TLSv1_3) => "TLSv1.3".to_string(),
        Some(rustls::ProtocolVersion::TLSv1_2) => "TLSv1.2".to_string(),
        Some(v) => format!("{v:?}"),
        None => "unknown".to_string(),
    };
    let cipher_suite = conn
        .negotiated_cipher_suite()
        .map(|s| iana_suite_name(s.suite()))
        .unwrap_or_else(|| "unknown".into());
    let chain = capture.chain();
    if chain.is_empty() {
        return Err(FetchError::NoCertificate { addr: address });
    }
    let certificates = chain
        .iter()
        .enumerate()
        .map(|(position, der)| {
            Certificate::from_der(der.as_ref()).map_err(|source| FetchError::Certificate {
                addr: address,
                position,
                source,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let client_auth = capture.client_auth();
    let mut acceptable_client_cas = Vec::new();
    let mut undecodable_client_ca_names = 0;
    for der in client_auth.iter().flatten() {
        match crate::DistinguishedName::from_der(der) {
            Ok(name) => acceptable_client_cas.push(name),
            Err(_) => undecodable_client_ca_names += 1,
        }
    }
    Ok(Presented {
        tls_version,
        cipher_suite,
        certificates,
        client_certificate_requested: client_auth.is_some(),
        acceptable_client_cas,
        undecodable_client_ca_names,
    })
}

/// rustls names TLS 1.3 suites `TLS13_…`; the IANA registry (and openssl's
/// `-ciphersuites`) says `TLS_…`.
fn iana_suite_name(suite: rustls::CipherSuite) -> String {
    match suite.as_str() {
        Some(name) => match name.strip_prefix("TLS13_") {
            Some(rest) => format!("TLS_{rest}"),
            None => name.to_string(),
        },
        None => format!("0x{:04x}", u16::from(suite)),
    }
}

/// The operating system's resolver (`getaddrinfo` and its kin).
fn system_lookup(host: &str, port: u16) -> std::io::Result<Vec<SocketAddr>> {
    (host, port).to_socket_addrs().map(|a| a.collect())
}

/// Resolves the host within the connect budget. The system resolver has no timeout of its
/// own, so it runs on a helper thread that we stop waiting for when the budget runs out
/// (the thread ends when the resolver gives up).
fn resolve(
    host: &str,
    port: u16,
    ip: Option<IpAddr>,
    target: &str,
    budget: Duration,
    deadline: Instant,
    lookup: fn(&str, u16) -> std::io::Result<Vec<SocketAddr>>,
) -> Result<Vec<SocketAddr>, FetchError> {
    if let Some(ip) = ip {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    let timeout = || FetchError::Timeout {
        target: target.to_string(),
        phase: Phase::Connect,
        after: budget,
    };
    let left = deadline
        .checked_duration_since(Instant::now())
        .filter(|d| !d.is_zero())
        .ok_or_else(timeout)?;
    let (tx, rx) = mpsc::channel();
    let name = host.to_string();
    std::thread::Builder::new()
        .name("ccetrust-resolve".into())
        .spawn(move || {
            let _ = tx.send(lookup(&name, port));
        })
        .map_err(|source| FetchError::Io {
            target: target.to_string(),
            source,
        })?;
    match rx.recv_timeout(left) {
        Ok(Ok(addrs)) if !addrs.is_empty() => Ok(addrs),
        Ok(Ok(_)) => Err(FetchError::Dns {
            host: host.to_string(),
            reason: "no addresses".into(),
        }),
        Ok(Err(e)) => Err(FetchError::Dns {
            host: host.to_string(),
            reason: e.to_string(),
        }),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(timeout()),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(FetchError::Dns {
            host: host.to_string(),
            reason: "the resolver stopped".into(),
        }),
    }
}

/// Tries each address in turn until one accepts, all within the connect budget.
fn connect(
    addrs: &[SocketAddr],
    target: &str,
    budget: Duration,
    deadline: Instant,
) -> Result<(TcpStream, SocketAddr), FetchError> {
    let timeout = || FetchError::Timeout {
        target: target.to_string(),
        phase: Phase::Connect,
        after: budget,
    };
    let mut last: Option<FetchError> = None;
    for &addr in addrs {
        let Some(left) = deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
        else {
            return Err(timeout());
        };
        match TcpStream::connect_timeout(&addr, left) {
            Ok(s) => return Ok((s, addr)),
            Err(e) => {
                last = Some(match e.kind() {
                    ErrorKind::ConnectionRefused => FetchError::Refused { addr },
                    ErrorKind::TimedOut | ErrorKind::WouldBlock => timeout(),
                    _ => FetchError::Connect { addr, source: e },
                })
            }
        }
    }
    Err(last.unwrap_or_else(timeout))
}

/// Fetches several servers' chains with at most `concurrency` connections open at once
/// (at least one). Results come back in the order of `targets`, each with its target, so
/// the audit can say which servers could not be reached and why.
pub fn fetch_many(
    targets: &[FetchTarget],
    concurrency: usize,
    timeouts: Timeouts,
) -> Vec<(FetchTarget, Result<FetchedChain, FetchError>)> {
    let workers = concurrency.max(1).min(targets.len());
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<FetchedChain, FetchError>>>> =
        Mutex::new((0..targets.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(t) = targets.get(i) else { break };
                let r = fetch_chain(&t.host, t.port, t.sni.clone(), timeouts);
                if let Ok(mut slots) = results.lock() {
                    if let Some(slot) = slots.get_mut(i) {
                        *slot = Some(r);
                    }
                }
            });
        }
    });
    let slots = results
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    targets
        .iter()
        .cloned()
        .zip(slots)
        .map(|(t, r)| {
            let r = r.unwrap_or_else(|| {
                Err(FetchError::Io {
                    target: t.display(),
                    source: std::io::Error::other("the fetch did not run"),
                })
            });
            (t, r)
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_like_an_administrator_types_them() {
        // (input, host, port)
        for (input, host, port) in [
            ("rgra.example.com", "rgra.example.com", 443),
            ("rgra.example.com:7890", "rgra.example.com", 7890),
            (
                "https://rgra.example.com:7890/icm-dp/rest/DiagnosticPortal/GetProductVersion",
                "rgra.example.com",
                7890,
            ),
            ("HTTPS://finesse.example.com", "finesse.example.com", 443),
            ("10.1.2.3:8443", "10.1.2.3", 8443),
            ("[::1]:8445", "::1", 8445),
            ("::1", "::1", 443),
            ("[fe80::1]", "fe80::1", 443),
        ] {
            let t = FetchTarget::parse(input).unwrap();
            assert_eq!((t.host.as_str(), t.port), (host, port), "{input}");
            assert_eq!(t.sni, Sni::Auto);
        }
        for bad in [
            "",
            ":443",
            "host:0",
            "host:70000",
            "host:https",
            "http://host",
            "[::1",
            "[host]:443",
            "[::1]x",
            "a::b::c",
            "user@host",
        ] {
            let e = FetchTarget::parse(bad).unwrap_err();
            assert_eq!(e.kind(), "usage", "{bad}: {e}");
        }
    }

    #[test]
    fn file_names_follow_the_collect_convention() {
        assert_eq!(
            pem_file_name("rgra.example.com", 443, 0),
            "rgra.example.com.pem"
        );
        assert_eq!(
            pem_file_name("RGRA.Example.com", 7890, 0),
            "rgra.example.com_7890.pem"
        );
        assert_eq!(
            pem_file_name("rgra.example.com", 443, 2),
            "rgra.example.com.ca2.pem"
        );
        assert_eq!(pem_file_name("::1", 8445, 1), "__1_8445.ca1.pem");
    }

    #[test]
    fn tls13_suites_get_their_iana_names() {
        assert_eq!(
            iana_suite_name(rustls::CipherSuite::TLS13_AES_128_GCM_SHA256),
            "TLS_AES_128_GCM_SHA256"
        );
        assert_eq!(
            iana_suite_name(rustls::CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384),
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"
        );
        assert_eq!(iana_suite_name(rustls::CipherSuite::from(0x0a0a)), "0x0a0a");
    }

    #[test]
    fn an_ip_address_is_not_a_valid_sni_name() {
        let e = fetch_chain(
            "127.0.0.1",
            9,
            Sni::Name("127.0.0.1".into()),
            Timeouts::default(),
        )
        .unwrap_err();
        assert!(matches!(e, FetchError::InvalidSni { .. }), "{e}");
        let e = fetch_chain(
            "127.0.0.1",
            9,
            Sni::Name("bad name".into()),
            Timeouts::default(),
        )
        .unwrap_err();
        assert!(matches!(e, FetchError::InvalidSni { .. }), "{e}");
    }

    // The resolver is swapped for stand-ins: a real failing lookup would ask the network's
    // DNS servers, and the tests send nothing beyond the loopback.
    fn no_such_host(_: &str, _: u16) -> std::io::Result<Vec<SocketAddr>> {
        Err(std::io::Error::other(
            "failed to lookup address information: Name or service not known",
        ))
    }
    fn slow_resolver(_: &str, port: u16) -> std::io::Result<Vec<SocketAddr>> {
        std::thread::sleep(Duration::from_secs(2));
        Ok(vec![SocketAddr::from(([127, 0, 0, 1], port))])
    }
    fn empty_answer(_: &str, _: u16) -> std::io::Result<Vec<SocketAddr>> {
        Ok(Vec::new())
    }

    #[test]
    fn name_resolution_failures_say_dns() {
        let budget = Duration::from_secs(5);
        let at = Instant::now() + budget;
        let e = resolve("aw1a.cce.example", 443, None, "t", budget, at, no_such_host).unwrap_err();
        assert_eq!(e.kind(), "dns");
        assert!(
            e.to_string()
                .starts_with("aw1a.cce.example: name resolution failed: "),
            "{e}"
        );
        let e = resolve("aw1a.cce.example", 443, None, "t", budget, at, empty_answer).unwrap_err();
        assert_eq!(e.kind(), "dns");
        // An IP address is not looked up at all.
        let ip = "127.0.0.1".parse().ok();
        let addrs = resolve("127.0.0.1", 8443, ip, "t", budget, at, no_such_host).unwrap();
        assert_eq!(addrs, vec![SocketAddr::from(([127, 0, 0, 1], 8443))]);
    }

    #[test]
    fn a_slow_resolver_counts_against_the_connect_timeout() {
        let budget = Duration::from_millis(100);
        let e = resolve(
            "aw1a.cce.example",
            443,
            None,
            "aw1a.cce.example:443",
            budget,
            Instant::now() + budget,
            slow_resolver,
        )
        .unwrap_err();
        assert!(
            matches!(e, FetchError::Timeout { phase: Phase::Connect, after, .. } if after == budget),
            "{e}"
        );
    }

    #[test]
    fn fetch_many_of_nothing_is_nothing() {
        assert!(fetch_many(&[], 4, Timeouts::default()).is_empty());
    }
}
