//! What can go wrong while collecting a server's chain, phase by phase: name resolution,
//! TCP connect, the TLS handshake. Each variant says which, and where (host or address),
//! because an audit over fifty servers must tell "nothing listens on 7890" apart from
//! "IIS requires SNI" apart from "that port speaks plain HTTP".

use std::net::SocketAddr;
use std::time::Duration;

use crate::cert::ParseError;

/// The phase a timeout hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Name resolution and the TCP connect (one budget, [`super::Timeouts::connect`]).
    Connect,
    /// The TLS handshake, from the first byte sent to the server's last handshake message
    /// ([`super::Timeouts::handshake`]).
    Handshake,
}

impl std::fmt::Display for Phase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Phase::Connect => "connect",
            Phase::Handshake => "TLS handshake",
        })
    }
}

/// Why a server's chain could not be collected.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// `HOST[:PORT]` (or a URL) could not be understood.
    #[error("{input:?} is not HOST[:PORT]: {reason}")]
    InvalidTarget {
        /// What was given.
        input: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The SNI name to send is not a valid DNS name.
    #[error("{name:?} cannot be sent as SNI: not a valid DNS name")]
    InvalidSni {
        /// The name given.
        name: String,
    },
    /// The host name did not resolve.
    #[error("{host}: name resolution failed: {reason}")]
    Dns {
        /// The name looked up.
        host: String,
        /// The resolver's answer.
        reason: String,
    },
    /// Every address refused the TCP connection: nothing listens on that port.
    #[error("{addr}: connection refused (nothing is listening on that port)")]
    Refused {
        /// The last address tried.
        addr: SocketAddr,
    },
    /// A phase did not finish within its timeout.
    #[error("{target}: {phase} timed out after {}", seconds(after))]
    Timeout {
        /// `host:port`.
        target: String,
        /// Which phase.
        phase: Phase,
        /// The timeout that ran out.
        after: Duration,
    },
    /// The TCP connection failed for another reason (unreachable network, reset, …).
    #[error("{addr}: could not connect: {source}")]
    Connect {
        /// The last address tried.
        addr: SocketAddr,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The server ended the handshake with a fatal TLS alert.
    #[error("{addr}: the server sent the TLS alert {name} ({code}){}", alert_hint(*code))]
    Alert {
        /// The server's address.
        addr: SocketAddr,
        /// The alert's name as in the RFC 8446 / RFC 5246 registry (`unrecognized_name`).
        name: &'static str,
        /// The alert's number.
        code: u8,
    },
    /// The server answered, but not with TLS (plain HTTP on an HTTPS port, for instance).
    #[error("{addr}: not TLS: the server answered {answer}")]
    NotTls {
        /// The server's address.
        addr: SocketAddr,
        /// A printable description of the first bytes it sent.
        answer: String,
    },
    /// The server closed (or reset) the connection before the handshake finished.
    #[error("{addr}: the server closed the connection during the TLS handshake (after sending {received} bytes)")]
    Closed {
        /// The server's address.
        addr: SocketAddr,
        /// How many bytes it had sent.
        received: usize,
    },
    /// The handshake failed for a protocol reason other than an alert from the server.
    #[error("{addr}: TLS handshake failed: {detail}")]
    Handshake {
        /// The server's address.
        addr: SocketAddr,
        /// rustls's description.
        detail: String,
    },
    /// The handshake completed but the server sent no certificate.
    #[error("{addr}: the server sent no certificate")]
    NoCertificate {
        /// The server's address.
        addr: SocketAddr,
    },
    /// A certificate the server sent is not a valid X.509 certificate.
    #[error("{addr}: certificate #{position} the server sent: {source}")]
    Certificate {
        /// The server's address.
        addr: SocketAddr,
        /// Its position in the server's Certificate message (0 = leaf).
        position: usize,
        /// Why it could not be parsed.
        source: ParseError,
    },
    /// Another socket error.
    #[error("{target}: {source}")]
    Io {
        /// `host:port`.
        target: String,
        /// The operating system's error.
        source: std::io::Error,
    },
}

impl FetchError {
    /// A short, stable machine name for the kind of failure, used in `--json` output and by
    /// the audit to group unreachable servers.
    pub fn kind(&self) -> &'static str {
        match self {
            FetchError::InvalidTarget { .. } | FetchError::InvalidSni { .. } => "usage",
            FetchError::Dns { .. } => "dns",
            FetchError::Refused { .. } => "refused",
            FetchError::Timeout {
                phase: Phase::Connect,
                ..
            } => "timeout_connect",
            FetchError::Timeout {
                phase: Phase::Handshake,
                ..
            } => "timeout_handshake",
            FetchError::Connect { .. } => "connect",
            FetchError::Alert { .. } => "tls_alert",
            FetchError::NotTls { .. } => "not_tls",
            FetchError::Closed { .. } => "closed",
            FetchError::Handshake { .. } => "tls",
            FetchError::NoCertificate { .. } => "no_certificate",
            FetchError::Certificate { .. } => "malformed",
            FetchError::Io { .. } => "io",
        }
    }
}

fn seconds(d: &Duration) -> String {
    let s = format!("{:.3}", d.as_secs_f64());
    format!("{}s", s.trim_end_matches('0').trim_end_matches('.'))
}

/// What an administrator should try next, for the alerts with a usual cause.
fn alert_hint(code: u8) -> &'static str {
    match code {
        112 => ": the server wants a different SNI name (try --sni NAME); an IIS binding that requires SNI is finding iis.sni",
        40 => ": no protocol version or cipher suite in common (ccetrust offers TLS 1.2 and 1.3 with ECDHE and AEAD suites only)",
        70 => ": the server does not accept TLS 1.2 or 1.3",
        116 => ": the server requires a client certificate",
        _ => "",
    }
}

/// The registered name of a TLS alert (IANA "TLS Alerts" registry; RFC 8446 §6, RFC 5246 §7.2).
pub fn alert_name(code: u8) -> &'static str {
    match code {
        0 => "close_notify",
        10 => "unexpected_message",
        20 => "bad_record_mac",
        21 => "decryption_failed",
        22 => "record_overflow",
        30 => "decompression_failure",
        40 => "handshake_failure",
        41 => "no_certificate",
        42 => "bad_certificate",
        43 => "unsupported_certificate",
        44 => "certificate_revoked",
        45 => "certificate_expired",
        46 => "certificate_unknown",
        47 => "illegal_parameter",
        48 => "unknown_ca",
        49 => "access_denied",
        50 => "decode_error",
        51 => "decrypt_error",
        60 => "export_restriction",
        70 => "protocol_version",
        71 => "insufficient_security",
        80 => "internal_error",
        86 => "inappropriate_fallback",
        90 => "user_canceled",
        100 => "no_renegotiation",
        109 => "missing_extension",
        110 => "unsupported_extension",
        111 => "certificate_unobtainable",
        112 => "unrecognized_name",
        113 => "bad_certificate_status_response",
        114 => "bad_certificate_hash_value",
        115 => "unknown_psk_identity",
        116 => "certificate_required",
        120 => "no_application_protocol",
        121 => "ech_required",
        _ => "unknown_alert",
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_print_in_seconds() {
        let e = FetchError::Timeout {
            target: "h:443".into(),
            phase: Phase::Handshake,
            after: Duration::from_millis(1500),
        };
        assert_eq!(e.to_string(), "h:443: TLS handshake timed out after 1.5s");
        let e = FetchError::Timeout {
            target: "h:443".into(),
            phase: Phase::Connect,
            after: Duration::from_secs(5),
        };
        assert_eq!(e.to_string(), "h:443: connect timed out after 5s");
        assert_eq!(e.kind(), "timeout_connect");
    }

    #[test]
    fn alert_names_follow_the_registry() {
        // (code, name) rows from the IANA TLS Alerts registry.
        for (code, name) in [
            (40, "handshake_failure"),
            (70, "protocol_version"),
            (112, "unrecognized_name"),
            (116, "certificate_required"),
            (255, "unknown_alert"),
        ] {
            assert_eq!(alert_name(code), name);
        }
    }
}
