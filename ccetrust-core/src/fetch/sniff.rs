//! Telling a TLS server from something else by the first bytes it sends.
//!
//! A server that speaks TLS answers a ClientHello with a record whose header is
//! `content type (22 handshake or 21 alert), 0x03, minor version` (RFC 8446 §5.1, RFC 5246
//! §6.2.1). Anything else — `HTTP/1.1 400 Bad Request` from a plain-HTTP port, an SSH or SMTP
//! banner, a JMX or CTI protocol — is reported as "not TLS" with a printable description of
//! what came back, instead of rustls's generic "corrupt message".
//!
//! These bytes come from the network: the functions here index nothing they have not checked.

/// What the first bytes of a server's answer say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// A TLS record header (or the start of one).
    Tls,
    /// Too few bytes to tell yet.
    NeedMore,
    /// Not TLS; a printable description of the bytes.
    NotTls(String),
}

/// TLS record content types a server may open with: alert (21) or handshake (22).
const ALERT: u8 = 21;
const HANDSHAKE: u8 = 22;

/// Classifies the first bytes a server sent.
pub(crate) fn classify(first: &[u8]) -> Verdict {
    match first {
        [] => Verdict::NeedMore,
        [t] if *t == ALERT || *t == HANDSHAKE => Verdict::NeedMore,
        [t, 3, ..] if *t == ALERT || *t == HANDSHAKE => Verdict::Tls,
        _ => Verdict::NotTls(describe(first)),
    }
}

/// How many bytes of a non-TLS answer are worth describing.
const DESCRIBE_LIMIT: usize = 64;

/// A short, printable description of bytes that are not TLS: the first line when it is
/// text (`"HTTP/1.1 400 Bad Request"`), otherwise the first bytes in hex.
pub(crate) fn describe(bytes: &[u8]) -> String {
    let head = bytes.get(..DESCRIBE_LIMIT).unwrap_or(bytes);
    let line_end = head
        .iter()
        .position(|&b| b == b'\r' || b == b'\n')
        .unwrap_or(head.len());
    let line = head.get(..line_end).unwrap_or(head);
    let printable = !line.is_empty()
        && line
            .iter()
            .all(|&b| (0x20..0x7f).contains(&b) || b == b'\t');
    if printable {
        let text = String::from_utf8_lossy(line);
        let more = if line_end < bytes.len() && line_end == head.len() {
            "…"
        } else {
            ""
        };
        format!("{:?}{more}", text)
    } else {
        let more = if bytes.len() > 16 { " …" } else { "" };
        let shown = bytes.get(..16).unwrap_or(bytes);
        format!(
            "bytes {}{more}",
            shown
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<Vec<_>>()
                .join(" ")
        )
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn verdicts() {
        // (first bytes, expected) — a TLS 1.2/1.3 ServerHello record starts 16 03 03,
        // an alert record 15 03 03 (RFC 8446 §5.1).
        assert_eq!(classify(b""), Verdict::NeedMore);
        assert_eq!(classify(&[0x16]), Verdict::NeedMore);
        assert_eq!(classify(&[0x16, 0x03, 0x03, 0x00, 0x7a]), Verdict::Tls);
        assert_eq!(classify(&[0x15, 0x03, 0x01]), Verdict::Tls);
        assert_eq!(
            classify(b"HTTP/1.1 400 Bad Request\r\nServer: x\r\n\r\n"),
            Verdict::NotTls("\"HTTP/1.1 400 Bad Request\"".into())
        );
        assert_eq!(
            classify(b"SSH-2.0-OpenSSH_9.6\r\n"),
            Verdict::NotTls("\"SSH-2.0-OpenSSH_9.6\"".into())
        );
        assert_eq!(
            classify(&[0x16, 0x02, 0x00]),
            Verdict::NotTls("bytes 16 02 00".into())
        );
        // An SSL 2.0-style answer (high bit set) is not TLS either.
        assert_eq!(
            classify(&[0x80, 0x2e]),
            Verdict::NotTls("bytes 80 2e".into())
        );
    }

    #[test]
    fn long_answers_are_cut() {
        let long = vec![b'a'; 500];
        let d = describe(&long);
        assert!(d.ends_with('…'), "{d}");
        assert!(d.len() < 80, "{d}");
        let bin = vec![0u8; 100];
        assert_eq!(
            describe(&bin),
            "bytes 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 …"
        );
    }

    proptest! {
        #[test]
        fn never_panics_and_stays_short(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            match classify(&bytes) {
                Verdict::NotTls(d) => prop_assert!(d.chars().count() <= 3 * DESCRIBE_LIMIT),
                Verdict::Tls => prop_assert!(bytes.len() >= 2 && bytes[1] == 3),
                Verdict::NeedMore => prop_assert!(bytes.len() < 2),
            }
        }
    }
}
