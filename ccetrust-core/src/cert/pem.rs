//! PEM as administrators actually receive it: CRLF or LF, any line width, text before,
//! between and after blocks (OpenSSL's `Bag Attributes` and `subject=` lines, keytool's
//! `Alias name:` listings), many blocks in one file.
//!
//! Each block is re-armoured canonically and decoded by `pem-rfc7468`, so the base64 rules
//! are that crate's (RFC 7468 §3), while the framing is as lenient as real files need.

use super::ParseError;

/// One PEM block found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PemBlock {
    /// The label between `BEGIN ` and the dashes (`CERTIFICATE`, `PKCS7`, …).
    pub label: String,
    /// The decoded content.
    pub der: Vec<u8>,
    /// 1-based line of the `-----BEGIN` boundary.
    pub line: usize,
}

/// True when the bytes contain a PEM BEGIN boundary.
pub fn looks_like_pem(bytes: &[u8]) -> bool {
    bytes.windows(11).any(|w| w == b"-----BEGIN ")
}

/// Finds and decodes every PEM block. Text outside blocks is ignored; a block that is opened
/// and not closed, or whose base64 is broken, is an error naming its line.
pub fn parse_blocks(bytes: &[u8]) -> Result<Vec<PemBlock>, ParseError> {
    let text = String::from_utf8_lossy(bytes);
    let mut blocks = Vec::new();
    let mut current: Option<(String, usize, Vec<String>)> = None;
    for (i, raw_line) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw_line.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        if let Some((label, begin, body)) = current.as_mut() {
            if let Some(rest) = line.strip_prefix("-----END ") {
                let end_label = rest.trim_end_matches('-');
                if end_label != label {
                    return Err(ParseError::Pem {
                        line: *begin,
                        label: label.clone(),
                        detail: format!("closed by 'END {end_label}' at line {line_no}"),
                    });
                }
                let der = decode_body(label, body, *begin)?;
                blocks.push(PemBlock {
                    label: label.clone(),
                    der,
                    line: *begin,
                });
                current = None;
            } else if line.starts_with("-----BEGIN ") {
                return Err(ParseError::Pem {
                    line: *begin,
                    label: label.clone(),
                    detail: format!("no END line before the next BEGIN at line {line_no}"),
                });
            } else if line.contains(':') {
                // RFC 1421 headers (Proc-Type, DEK-Info): legacy encrypted keys.
                return Err(ParseError::Pem {
                    line: line_no,
                    label: label.clone(),
                    detail: "encapsulated headers (legacy encrypted PEM) are not supported".into(),
                });
            } else if !line.is_empty() {
                body.push(line.to_string());
            }
        } else if let Some(rest) = line.strip_prefix("-----BEGIN ") {
            let label = rest.trim_end_matches('-').to_string();
            current = Some((label, line_no, Vec::new()));
        }
    }
    if let Some((label, begin, _)) = current {
        return Err(ParseError::Pem {
            line: begin,
            label,
            detail: "the input ended before the END line".into(),
        });
    }
    Ok(blocks)
}

fn decode_body(label: &str, body: &[String], line: usize) -> Result<Vec<u8>, ParseError> {
    let joined: String = body.concat();
    if joined.is_empty() {
        return Err(ParseError::Pem {
            line,
            label: label.to_string(),
            detail: "the block is empty".into(),
        });
    }
    let mut canonical = String::with_capacity(joined.len() + joined.len() / 64 + 64);
    canonical.push_str("-----BEGIN ");
    canonical.push_str(label);
    canonical.push_str("-----\n");
    let bytes = joined.as_bytes();
    for chunk in bytes.chunks(64) {
        canonical.push_str(&String::from_utf8_lossy(chunk));
        canonical.push('\n');
    }
    canonical.push_str("-----END ");
    canonical.push_str(label);
    canonical.push_str("-----\n");
    pem_rfc7468::decode_vec(canonical.as_bytes())
        .map(|(_, der)| der)
        .map_err(|e| ParseError::Pem {
            line,
            label: label.to_string(),
            detail: format!("broken base64: {e}"),
        })
}

/// Encodes DER as a PEM block with LF line endings and 64-column lines.
pub fn encode(label: &str, der: &[u8]) -> String {
    pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, der).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_surrounding_text_and_odd_wrapping() {
        let text = "Bag Attributes\r\n    friendlyName: x\r\nsubject=CN = x\r\n-----BEGIN CERTIFICATE-----\r\nAAEC\r\nAwQ=\r\n-----END CERTIFICATE-----\r\ntrailer\r\n";
        let blocks = parse_blocks(text.as_bytes()).unwrap();
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].der, vec![0, 1, 2, 3, 4]);
        assert_eq!(blocks[0].line, 4);
    }

    #[test]
    fn broken_base64_names_the_line() {
        let text = "x\n-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
        match parse_blocks(text.as_bytes()) {
            Err(ParseError::Pem { line, .. }) => assert_eq!(line, 2),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unterminated_block() {
        let text = "-----BEGIN CERTIFICATE-----\nAAEC\n";
        assert!(matches!(
            parse_blocks(text.as_bytes()),
            Err(ParseError::Pem { line: 1, .. })
        ));
    }
}
