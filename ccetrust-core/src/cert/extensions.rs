//! The certificate extensions ccetrust reasons about, decoded once when a certificate is
//! read (RFC 5280 §4.2). Extensions we do not know are listed by OID and never fatal; a known
//! extension whose content is malformed, or any extension that appears twice, is an error,
//! because a validator that guessed would be unsafe.

use const_oid::ObjectIdentifier;
use der::Decode;
use std::net::IpAddr;
use x509_cert::ext::pkix::{
    self as pkix,
    name::{DistributionPointName, GeneralName},
};

use super::oids::{self, known};
use super::{DistinguishedName, ParseError};

/// One extension as listed by `inspect`: OID, name, critical flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionInfo {
    /// The extension's OID.
    pub oid: ObjectIdentifier,
    /// Its name (`subjectAltName`, …) when known.
    pub name: Option<&'static str>,
    /// Whether the issuer marked it critical.
    pub critical: bool,
    /// The raw `extnValue` content (the DER inside the OCTET STRING).
    pub value: Vec<u8>,
}

/// Subject alternative names, by kind (RFC 5280 §4.2.1.6).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubjectAltNames {
    /// dNSName entries, as written in the certificate.
    pub dns: Vec<String>,
    /// iPAddress entries (4 or 16 octets).
    pub ip: Vec<IpAddr>,
    /// rfc822Name entries.
    pub email: Vec<String>,
    /// uniformResourceIdentifier entries.
    pub uri: Vec<String>,
    /// directoryName entries.
    pub directory: Vec<DistinguishedName>,
    /// Anything else, rendered as `otherName:<oid>`, `registeredID:<oid>`, `IP:<hex>` (an
    /// address of a bad length) or `ediPartyName`.
    pub other: Vec<String>,
}

impl SubjectAltNames {
    /// True when no name of any kind is present.
    pub fn is_empty(&self) -> bool {
        self.dns.is_empty()
            && self.ip.is_empty()
            && self.email.is_empty()
            && self.uri.is_empty()
            && self.directory.is_empty()
            && self.other.is_empty()
    }

    pub(crate) fn from_general_names(names: &[GeneralName]) -> Self {
        let mut out = SubjectAltNames::default();
        for n in names {
            match n {
                GeneralName::DnsName(s) => out.dns.push(s.to_string()),
                GeneralName::Rfc822Name(s) => out.email.push(s.to_string()),
                GeneralName::UniformResourceIdentifier(s) => out.uri.push(s.to_string()),
                GeneralName::IpAddress(o) => match ip_from_octets(o.as_bytes()) {
                    Some(ip) => out.ip.push(ip),
                    None => out.other.push(format!("IP:{}", crate::hex(o.as_bytes()))),
                },
                GeneralName::DirectoryName(name) => {
                    use der::Encode;
                    let der = name.to_der().unwrap_or_default();
                    out.directory.push(DistinguishedName::new(&der, name));
                }
                GeneralName::OtherName(o) => out.other.push(format!("otherName:{}", o.type_id)),
                GeneralName::RegisteredId(o) => out.other.push(format!("registeredID:{o}")),
                GeneralName::EdiPartyName(_) => out.other.push("ediPartyName".into()),
            }
        }
        out
    }
}

fn ip_from_octets(b: &[u8]) -> Option<IpAddr> {
    match b.len() {
        4 => Some(IpAddr::from(<[u8; 4]>::try_from(b).ok()?)),
        16 => Some(IpAddr::from(<[u8; 16]>::try_from(b).ok()?)),
        _ => None,
    }
}

/// keyUsage bits (RFC 5280 §4.2.1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct KeyUsage(u16);

impl KeyUsage {
    /// digitalSignature (0)
    pub const DIGITAL_SIGNATURE: u16 = 1 << 0;
    /// nonRepudiation / contentCommitment (1)
    pub const NON_REPUDIATION: u16 = 1 << 1;
    /// keyEncipherment (2)
    pub const KEY_ENCIPHERMENT: u16 = 1 << 2;
    /// dataEncipherment (3)
    pub const DATA_ENCIPHERMENT: u16 = 1 << 3;
    /// keyAgreement (4)
    pub const KEY_AGREEMENT: u16 = 1 << 4;
    /// keyCertSign (5)
    pub const KEY_CERT_SIGN: u16 = 1 << 5;
    /// cRLSign (6)
    pub const CRL_SIGN: u16 = 1 << 6;
    /// encipherOnly (7)
    pub const ENCIPHER_ONLY: u16 = 1 << 7;
    /// decipherOnly (8)
    pub const DECIPHER_ONLY: u16 = 1 << 8;

    const NAMES: [&'static str; 9] = [
        "digitalSignature",
        "nonRepudiation",
        "keyEncipherment",
        "dataEncipherment",
        "keyAgreement",
        "keyCertSign",
        "cRLSign",
        "encipherOnly",
        "decipherOnly",
    ];

    /// The raw bit set (bit 0 = digitalSignature).
    pub fn bits(self) -> u16 {
        self.0
    }

    /// Whether every bit of `mask` is set.
    pub fn has(self, mask: u16) -> bool {
        self.0 & mask == mask
    }

    /// RFC 5280 names of the bits that are set, in bit order.
    pub fn names(self) -> Vec<&'static str> {
        (0..9)
            .filter(|i| self.0 & (1 << i) != 0)
            .map(|i| Self::NAMES[i])
            .collect()
    }
}

/// basicConstraints (RFC 5280 §4.2.1.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BasicConstraints {
    /// cA: the key may sign certificates.
    pub ca: bool,
    /// pathLenConstraint: how many non-self-issued intermediates may follow.
    pub path_len: Option<u8>,
}

/// authorityKeyIdentifier (RFC 5280 §4.2.1.1).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuthorityKeyId {
    /// keyIdentifier: usually the issuer's subjectKeyIdentifier.
    pub key_id: Option<Vec<u8>>,
    /// authorityCertSerialNumber, big-endian.
    pub serial: Option<Vec<u8>>,
    /// Whether authorityCertIssuer is present.
    pub has_issuer: bool,
}

/// The extensions of one certificate, decoded.
#[derive(Debug, Clone, Default)]
pub struct Extensions {
    /// Every extension, in order.
    pub list: Vec<ExtensionInfo>,
    /// subjectAltName and its critical flag.
    pub san: Option<(bool, SubjectAltNames)>,
    /// keyUsage.
    pub key_usage: Option<KeyUsage>,
    /// extendedKeyUsage OIDs.
    pub extended_key_usage: Option<Vec<ObjectIdentifier>>,
    /// basicConstraints.
    pub basic_constraints: Option<BasicConstraints>,
    /// subjectKeyIdentifier.
    pub subject_key_id: Option<Vec<u8>>,
    /// authorityKeyIdentifier.
    pub authority_key_id: Option<AuthorityKeyId>,
    /// authorityInfoAccess caIssuers URLs.
    pub ca_issuers_urls: Vec<String>,
    /// authorityInfoAccess OCSP URLs.
    pub ocsp_urls: Vec<String>,
    /// cRLDistributionPoints URLs.
    pub crl_urls: Vec<String>,
    /// nameConstraints, decoded.
    pub name_constraints: Option<pkix::constraints::name::NameConstraints>,
}

impl Extensions {
    /// Decodes the extensions of a TBS certificate (or CSR extensionRequest).
    pub(crate) fn decode(list: &[x509_cert::ext::Extension]) -> Result<Self, ParseError> {
        let mut out = Extensions::default();
        for (i, ext) in list.iter().enumerate() {
            if list[..i].iter().any(|e| e.extn_id == ext.extn_id) {
                return Err(ParseError::Der {
                    offset: 0,
                    expected: "each extension at most once (RFC 5280 §4.2)",
                    detail: format!("extension {} appears twice", ext.extn_id),
                });
            }
            let v = ext.extn_value.as_bytes();
            let bad = |what: &'static str, e: der::Error| ParseError::Der {
                offset: e.position().map(|p| u32::from(p) as usize).unwrap_or(0),
                expected: what,
                detail: format!("{} (inside the extension value)", e.kind()),
            };
            match ext.extn_id {
                known::SUBJECT_ALT_NAME => {
                    let san = pkix::SubjectAltName::from_der(v)
                        .map_err(|e| bad("a subjectAltName extension", e))?;
                    out.san = Some((ext.critical, SubjectAltNames::from_general_names(&san.0)));
                }
                known::KEY_USAGE => {
                    let ku =
                        pkix::KeyUsage::from_der(v).map_err(|e| bad("a keyUsage extension", e))?;
                    out.key_usage = Some(KeyUsage(ku.0.bits()));
                }
                known::EXT_KEY_USAGE => {
                    let eku = pkix::ExtendedKeyUsage::from_der(v)
                        .map_err(|e| bad("an extendedKeyUsage extension", e))?;
                    out.extended_key_usage = Some(eku.0);
                }
                known::BASIC_CONSTRAINTS => {
                    let bc = pkix::BasicConstraints::from_der(v)
                        .map_err(|e| bad("a basicConstraints extension", e))?;
                    out.basic_constraints = Some(BasicConstraints {
                        ca: bc.ca,
                        path_len: bc.path_len_constraint,
                    });
                }
                known::SUBJECT_KEY_ID => {
                    let ski = pkix::SubjectKeyIdentifier::from_der(v)
                        .map_err(|e| bad("a subjectKeyIdentifier extension", e))?;
                    out.subject_key_id = Some(ski.0.as_bytes().to_vec());
                }
                known::AUTHORITY_KEY_ID => {
                    let aki = pkix::AuthorityKeyIdentifier::from_der(v)
                        .map_err(|e| bad("an authorityKeyIdentifier extension", e))?;
                    out.authority_key_id = Some(AuthorityKeyId {
                        key_id: aki.key_identifier.map(|k| k.as_bytes().to_vec()),
                        serial: aki
                            .authority_cert_serial_number
                            .map(|s| s.as_bytes().to_vec()),
                        has_issuer: aki.authority_cert_issuer.is_some(),
                    });
                }
                known::AUTHORITY_INFO_ACCESS => {
                    let aia = pkix::AuthorityInfoAccessSyntax::from_der(v)
                        .map_err(|e| bad("an authorityInfoAccess extension", e))?;
                    for ad in aia.0 {
                        if let GeneralName::UniformResourceIdentifier(u) = ad.access_location {
                            if ad.access_method == known::AD_CA_ISSUERS {
                                out.ca_issuers_urls.push(u.to_string());
                            } else if ad.access_method == known::AD_OCSP {
                                out.ocsp_urls.push(u.to_string());
                            }
                        }
                    }
                }
                known::CRL_DISTRIBUTION_POINTS => {
                    let dps = pkix::CrlDistributionPoints::from_der(v)
                        .map_err(|e| bad("a cRLDistributionPoints extension", e))?;
                    for dp in dps.0 {
                        if let Some(DistributionPointName::FullName(names)) = dp.distribution_point
                        {
                            for n in names {
                                if let GeneralName::UniformResourceIdentifier(u) = n {
                                    out.crl_urls.push(u.to_string());
                                }
                            }
                        }
                    }
                }
                known::NAME_CONSTRAINTS => {
                    let nc = pkix::constraints::name::NameConstraints::from_der(v)
                        .map_err(|e| bad("a nameConstraints extension", e))?;
                    out.name_constraints = Some(nc);
                }
                _ => {}
            }
            out.list.push(ExtensionInfo {
                oid: ext.extn_id,
                name: oids::extension_name(&ext.extn_id),
                critical: ext.critical,
                value: v.to_vec(),
            });
        }
        Ok(out)
    }
}
