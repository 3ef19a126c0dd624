//! Errors from reading certificates, CSRs and PKCS#7 bundles.

/// What went wrong while reading certificate material, and where.
///
/// Offsets are byte offsets from the start of the DER being decoded (for PEM input, from the
/// start of the decoded block, whose line is given too).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// The input held nothing at all (or only whitespace).
    #[error("empty input: expected a certificate in DER or PEM")]
    Empty,
    /// DER structure broken: a length past the end, a wrong tag, a truncation.
    #[error("malformed DER at byte {offset}: expected {expected}: {detail}")]
    Der {
        /// Byte offset of the element that could not be read.
        offset: usize,
        /// What the reader was looking for.
        expected: &'static str,
        /// What it found instead.
        detail: String,
    },
    /// A PEM block whose armour or base64 is broken.
    #[error("bad PEM block '{label}' at line {line}: {detail}")]
    Pem {
        /// Line (1-based) of the `-----BEGIN` boundary.
        line: usize,
        /// The block's label (e.g. `CERTIFICATE`).
        label: String,
        /// What is wrong with it.
        detail: String,
    },
    /// A well-formed object of another kind than the one asked for (a private key where a
    /// certificate was expected, say).
    #[error("expected {expected}, found {found}{}", at_line(*.line))]
    WrongKind {
        /// What the caller asked for.
        expected: &'static str,
        /// What the input holds.
        found: String,
        /// Line of the PEM block, when the input was PEM.
        line: Option<usize>,
    },
    /// Input that is neither DER nor PEM.
    #[error("not a certificate: the input is neither DER (no SEQUENCE at byte 0) nor PEM (no '-----BEGIN' line)")]
    UnknownEncoding,
    /// A certificate inside a PEM block or a PKCS#7 bundle failed to decode; says which.
    #[error("{context}: {source}")]
    Nested {
        /// Where the inner object sits ("PEM block 2 (line 31)", "PKCS#7 certificate 3").
        context: String,
        /// The inner error.
        source: Box<ParseError>,
    },
}

fn at_line(line: Option<usize>) -> String {
    match line {
        Some(l) => format!(" at line {l}"),
        None => String::new(),
    }
}

impl ParseError {
    /// The byte offset the error concerns, when there is one.
    pub fn offset(&self) -> Option<usize> {
        match self {
            ParseError::Der { offset, .. } => Some(*offset),
            ParseError::Nested { source, .. } => source.offset(),
            _ => None,
        }
    }

    /// The line (PEM input) the error concerns, when there is one.
    pub fn line(&self) -> Option<usize> {
        match self {
            ParseError::Pem { line, .. } => Some(*line),
            ParseError::WrongKind { line, .. } => *line,
            ParseError::Nested { source, .. } => source.line(),
            _ => None,
        }
    }

    pub(crate) fn nested(self, context: impl Into<String>) -> ParseError {
        ParseError::Nested {
            context: context.into(),
            source: Box::new(self),
        }
    }

    /// Converts a `der` crate error, keeping its position.
    pub(crate) fn from_der(err: der::Error, expected: &'static str) -> ParseError {
        ParseError::Der {
            offset: err.position().map(|p| u32::from(p) as usize).unwrap_or(0),
            expected,
            detail: err.kind().to_string(),
        }
    }
}
