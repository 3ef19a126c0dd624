//! Distinguished names: the subject and issuer of a certificate, as RFC 4514 strings and as
//! attributes.
//!
//! ```text
//! Name ::= CHOICE { rdnSequence RDNSequence }
//! RDNSequence ::= SEQUENCE OF RelativeDistinguishedName
//! RelativeDistinguishedName ::= SET SIZE (1..MAX) OF AttributeTypeAndValue
//! ```
//! (RFC 5280 §4.1.2.4; string form: RFC 4514 §2, last RDN first.)

use const_oid::ObjectIdentifier;
use der::{Encode, Tag, Tagged};
use std::fmt;

use super::oids;

/// One attribute of a name, e.g. `CN=rgra.example.com`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameAttribute {
    /// The attribute type.
    pub oid: ObjectIdentifier,
    /// Its short name (`CN`, `O`, `OU`, `DC`…) when known.
    pub short_name: Option<&'static str>,
    /// The value as text (string types decoded; anything else as `#` + hex of its DER, as
    /// RFC 4514 §2.4 prescribes).
    pub value: String,
    /// Index of the relative distinguished name this attribute belongs to (0 = first in
    /// the encoding, the most significant).
    pub rdn: usize,
}

/// A subject or issuer name, keeping its original encoding for exact comparisons.
#[derive(Clone)]
pub struct DistinguishedName {
    der: Vec<u8>,
    name: x509_cert::name::Name,
}

impl PartialEq for DistinguishedName {
    fn eq(&self, other: &Self) -> bool {
        self.der == other.der
    }
}
impl Eq for DistinguishedName {}
impl std::hash::Hash for DistinguishedName {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.der.hash(state)
    }
}

impl DistinguishedName {
    /// From the original encoding and its decoded form.
    pub(crate) fn new(der: &[u8], name: &x509_cert::name::Name) -> Self {
        DistinguishedName {
            der: der.to_vec(),
            name: name.clone(),
        }
    }

    /// Decodes a DER-encoded name.
    pub fn from_der(der: &[u8]) -> Result<Self, super::ParseError> {
        use der::Decode;
        let name = x509_cert::name::Name::from_der(der)
            .map_err(|e| super::ParseError::from_der(e, "a distinguished name"))?;
        Ok(DistinguishedName {
            der: der.to_vec(),
            name,
        })
    }

    /// The decoded name, for code that needs the `x509-cert` type.
    pub fn as_x509(&self) -> &x509_cert::name::Name {
        &self.name
    }

    /// The DER encoding of the name (a SEQUENCE).
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// Every attribute, in encoding order.
    pub fn attributes(&self) -> Vec<NameAttribute> {
        let name = &self.name;
        let mut out = Vec::new();
        for (i, rdn) in name.iter_rdn().enumerate() {
            for atv in rdn.iter() {
                out.push(NameAttribute {
                    oid: atv.oid,
                    short_name: oids::attribute_name(&atv.oid),
                    value: value_text(&atv.value),
                    rdn: i,
                });
            }
        }
        out
    }

    /// The values of one attribute type, in encoding order.
    pub fn values(&self, oid: &ObjectIdentifier) -> Vec<String> {
        self.name
            .iter()
            .filter(|atv| &atv.oid == oid)
            .map(|atv| value_text(&atv.value))
            .collect()
    }

    /// The most specific common name (the last CN in the encoding, as JSSE and browsers pick).
    pub fn common_name(&self) -> Option<String> {
        self.values(&oids::known::COMMON_NAME).pop()
    }

    /// True for an empty name (a SEQUENCE with no RDNs).
    pub fn is_empty(&self) -> bool {
        self.der.len() <= 2
    }

    /// RFC 4514 string: most significant RDN last, `+` inside multi-valued RDNs, special
    /// characters escaped with a backslash.
    pub fn to_rfc4514(&self) -> String {
        let name = &self.name;
        let mut rdns: Vec<String> = Vec::new();
        for rdn in name.iter_rdn() {
            // Within a multi-valued RDN the order is free (RFC 4514 §2.2); we print it
            // reversed, as OpenSSL does, so that both tools show the same string.
            let mut parts: Vec<String> = rdn
                .iter()
                .map(|atv| {
                    let key = oids::attribute_name(&atv.oid)
                        .map(str::to_string)
                        .unwrap_or_else(|| atv.oid.to_string());
                    let text = if is_string(atv.value.tag()) {
                        escape_rfc4514(&value_text(&atv.value))
                    } else {
                        value_text(&atv.value)
                    };
                    format!("{key}={text}")
                })
                .collect();
            parts.reverse();
            rdns.push(parts.join("+"));
        }
        rdns.reverse();
        rdns.join(",")
    }
}

impl fmt::Display for DistinguishedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc4514())
    }
}

impl fmt::Debug for DistinguishedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DistinguishedName({})", self.to_rfc4514())
    }
}

fn is_string(tag: Tag) -> bool {
    matches!(
        tag,
        Tag::Utf8String
            | Tag::PrintableString
            | Tag::Ia5String
            | Tag::TeletexString
            | Tag::BmpString
            | Tag::VisibleString
            | Tag::NumericString
            | Tag::GeneralString
    )
}

/// Decodes a directory string value to text; other types as `#hex` of their DER.
pub(crate) fn value_text(value: &der::Any) -> String {
    let bytes = value.value();
    match value.tag() {
        Tag::Utf8String
        | Tag::PrintableString
        | Tag::Ia5String
        | Tag::VisibleString
        | Tag::NumericString
        | Tag::GeneralString => String::from_utf8_lossy(bytes).into_owned(),
        // T61: in practice Latin-1.
        Tag::TeletexString => bytes.iter().map(|&b| b as char).collect(),
        Tag::BmpString => {
            let units: Vec<u16> = bytes
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        _ => {
            let der = value.to_der().unwrap_or_default();
            format!("#{}", crate::hex(&der))
        }
    }
}

/// RFC 4514 §2.4 escaping.
fn escape_rfc4514(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let n = s.chars().count();
    for (i, c) in s.chars().enumerate() {
        let special = matches!(c, '"' | '+' | ',' | ';' | '<' | '>' | '\\')
            || (i == 0 && (c == '#' || c == ' '))
            || (i + 1 == n && c == ' ');
        if special {
            out.push('\\');
            out.push(c);
        } else if c == '\0' {
            out.push_str("\\00");
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_per_rfc4514() {
        assert_eq!(escape_rfc4514("a,b"), "a\\,b");
        assert_eq!(escape_rfc4514(" lead"), "\\ lead");
        assert_eq!(escape_rfc4514("trail "), "trail\\ ");
        assert_eq!(escape_rfc4514("#x"), "\\#x");
        assert_eq!(escape_rfc4514("plain"), "plain");
    }
}
