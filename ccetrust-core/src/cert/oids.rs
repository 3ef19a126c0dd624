//! Names for the object identifiers a certificate carries, as administrators see them in
//! `openssl x509 -text` and `keytool -list -v` (OpenSSL's short names where it has one).

use const_oid::ObjectIdentifier;

/// (dotted OID, short name) of the extensions we name. Anything else is listed by its OID.
const EXTENSIONS: &[(ObjectIdentifier, &str)] = &[
    (oid("2.5.29.14"), "subjectKeyIdentifier"),
    (oid("2.5.29.15"), "keyUsage"),
    (oid("2.5.29.16"), "privateKeyUsagePeriod"),
    (oid("2.5.29.17"), "subjectAltName"),
    (oid("2.5.29.18"), "issuerAltName"),
    (oid("2.5.29.19"), "basicConstraints"),
    (oid("2.5.29.30"), "nameConstraints"),
    (oid("2.5.29.31"), "crlDistributionPoints"),
    (oid("2.5.29.32"), "certificatePolicies"),
    (oid("2.5.29.33"), "policyMappings"),
    (oid("2.5.29.35"), "authorityKeyIdentifier"),
    (oid("2.5.29.36"), "policyConstraints"),
    (oid("2.5.29.37"), "extendedKeyUsage"),
    (oid("2.5.29.46"), "freshestCRL"),
    (oid("2.5.29.54"), "inhibitAnyPolicy"),
    (oid("1.3.6.1.5.5.7.1.1"), "authorityInfoAccess"),
    (oid("1.3.6.1.5.5.7.1.11"), "subjectInfoAccess"),
    (oid("1.3.6.1.5.5.7.1.24"), "tlsfeature"),
    (oid("1.3.6.1.4.1.11129.2.4.2"), "ct_precert_scts"),
    (oid("1.3.6.1.4.1.11129.2.4.3"), "ct_precert_poison"),
    (oid("2.16.840.1.113730.1.1"), "nsCertType"),
    (oid("2.16.840.1.113730.1.13"), "nsComment"),
    (oid("1.3.6.1.4.1.311.20.2"), "msCertificateTemplateName"),
    (oid("1.3.6.1.4.1.311.21.1"), "msCAVersion"),
    (oid("1.3.6.1.4.1.311.21.2"), "msPreviousCAHash"),
    (oid("1.3.6.1.4.1.311.21.7"), "msCertificateTemplate"),
    (oid("1.3.6.1.4.1.311.21.10"), "msApplicationPolicies"),
    (oid("1.2.840.113549.1.9.15"), "smimeCapabilities"),
];

/// (dotted OID, name) of signature algorithms, with OpenSSL's names.
const SIGNATURES: &[(ObjectIdentifier, &str)] = &[
    (oid("1.2.840.113549.1.1.2"), "md2WithRSAEncryption"),
    (oid("1.2.840.113549.1.1.4"), "md5WithRSAEncryption"),
    (oid("1.2.840.113549.1.1.5"), "sha1WithRSAEncryption"),
    (oid("1.2.840.113549.1.1.10"), "rsassaPss"),
    (oid("1.2.840.113549.1.1.11"), "sha256WithRSAEncryption"),
    (oid("1.2.840.113549.1.1.12"), "sha384WithRSAEncryption"),
    (oid("1.2.840.113549.1.1.13"), "sha512WithRSAEncryption"),
    (oid("1.2.840.113549.1.1.14"), "sha224WithRSAEncryption"),
    (oid("1.2.840.10045.4.1"), "ecdsa-with-SHA1"),
    (oid("1.2.840.10045.4.3.1"), "ecdsa-with-SHA224"),
    (oid("1.2.840.10045.4.3.2"), "ecdsa-with-SHA256"),
    (oid("1.2.840.10045.4.3.3"), "ecdsa-with-SHA384"),
    (oid("1.2.840.10045.4.3.4"), "ecdsa-with-SHA512"),
    (oid("1.2.840.10040.4.3"), "dsa_with_SHA1"),
    (oid("2.16.840.1.101.3.4.3.2"), "dsa_with_SHA256"),
    (oid("1.3.101.112"), "ED25519"),
    (oid("1.3.101.113"), "ED448"),
];

/// (dotted OID, name) of public key algorithms.
const KEY_ALGORITHMS: &[(ObjectIdentifier, &str)] = &[
    (oid("1.2.840.113549.1.1.1"), "RSA"),
    (oid("1.2.840.113549.1.1.10"), "RSA-PSS"),
    (oid("1.2.840.10045.2.1"), "EC"),
    (oid("1.2.840.10040.4.1"), "DSA"),
    (oid("1.3.101.110"), "X25519"),
    (oid("1.3.101.111"), "X448"),
    (oid("1.3.101.112"), "Ed25519"),
    (oid("1.3.101.113"), "Ed448"),
];

/// (dotted OID, NIST or SEC name) of elliptic curves.
const CURVES: &[(ObjectIdentifier, &str)] = &[
    (oid("1.2.840.10045.3.1.7"), "P-256"),
    (oid("1.3.132.0.34"), "P-384"),
    (oid("1.3.132.0.35"), "P-521"),
    (oid("1.3.132.0.10"), "secp256k1"),
    (oid("1.2.840.10045.3.1.1"), "P-192"),
    (oid("1.3.132.0.33"), "P-224"),
    (oid("1.3.36.3.3.2.8.1.1.7"), "brainpoolP256r1"),
    (oid("1.3.36.3.3.2.8.1.1.11"), "brainpoolP384r1"),
    (oid("1.3.36.3.3.2.8.1.1.13"), "brainpoolP512r1"),
];

/// (dotted OID, name) of extended key usages.
const EKUS: &[(ObjectIdentifier, &str)] = &[
    (oid("1.3.6.1.5.5.7.3.1"), "serverAuth"),
    (oid("1.3.6.1.5.5.7.3.2"), "clientAuth"),
    (oid("1.3.6.1.5.5.7.3.3"), "codeSigning"),
    (oid("1.3.6.1.5.5.7.3.4"), "emailProtection"),
    (oid("1.3.6.1.5.5.7.3.5"), "ipsecEndSystem"),
    (oid("1.3.6.1.5.5.7.3.6"), "ipsecTunnel"),
    (oid("1.3.6.1.5.5.7.3.7"), "ipsecUser"),
    (oid("1.3.6.1.5.5.7.3.8"), "timeStamping"),
    (oid("1.3.6.1.5.5.7.3.9"), "OCSPSigning"),
    (oid("1.3.6.1.5.5.7.3.17"), "ipsecIKE"),
    (oid("2.5.29.37.0"), "anyExtendedKeyUsage"),
    (oid("1.3.6.1.4.1.311.10.3.3"), "msSGC"),
    (oid("1.3.6.1.4.1.311.20.2.2"), "msSmartcardLogin"),
    (oid("1.3.6.1.4.1.311.10.3.4"), "msEFS"),
    (oid("2.16.840.1.113730.4.1"), "nsSGC"),
];

/// (dotted OID, RFC 4514 / OpenSSL short name) of distinguished-name attributes.
const ATTRIBUTES: &[(ObjectIdentifier, &str)] = &[
    (oid("2.5.4.3"), "CN"),
    (oid("2.5.4.4"), "SN"),
    (oid("2.5.4.5"), "serialNumber"),
    (oid("2.5.4.6"), "C"),
    (oid("2.5.4.7"), "L"),
    (oid("2.5.4.8"), "ST"),
    (oid("2.5.4.9"), "STREET"),
    (oid("2.5.4.10"), "O"),
    (oid("2.5.4.11"), "OU"),
    (oid("2.5.4.12"), "title"),
    (oid("2.5.4.17"), "postalCode"),
    (oid("2.5.4.42"), "GN"),
    (oid("2.5.4.43"), "initials"),
    (oid("2.5.4.44"), "generationQualifier"),
    (oid("2.5.4.46"), "dnQualifier"),
    (oid("2.5.4.65"), "pseudonym"),
    (oid("2.5.4.97"), "organizationIdentifier"),
    (oid("0.9.2342.19200300.100.1.1"), "UID"),
    (oid("0.9.2342.19200300.100.1.25"), "DC"),
    (oid("1.2.840.113549.1.9.1"), "emailAddress"),
    (oid("1.3.6.1.4.1.311.60.2.1.3"), "jurisdictionC"),
    (oid("1.3.6.1.4.1.311.60.2.1.2"), "jurisdictionST"),
    (oid("1.3.6.1.4.1.311.60.2.1.1"), "jurisdictionL"),
    (oid("2.5.4.15"), "businessCategory"),
];

const fn oid(dotted: &str) -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap(dotted)
}

fn lookup(
    table: &'static [(ObjectIdentifier, &'static str)],
    oid: &ObjectIdentifier,
) -> Option<&'static str> {
    lookup_bytes(table, oid.as_bytes())
}

/// Table lookup by the OID's encoded content octets (a short slice compare per row, and
/// no OID needs decoding first).
fn lookup_bytes(
    table: &'static [(ObjectIdentifier, &'static str)],
    der: &[u8],
) -> Option<&'static str> {
    table
        .iter()
        .find(|(o, _)| o.as_bytes() == der)
        .map(|(_, n)| *n)
}

/// The name of a signature algorithm from its encoded OID, `None` when not in the table.
pub(crate) fn signature_name_bytes(der: &[u8]) -> Option<&'static str> {
    lookup_bytes(SIGNATURES, der)
}

/// The name of a public key algorithm from its encoded OID, `None` when not in the table.
pub(crate) fn key_algorithm_name_bytes(der: &[u8]) -> Option<&'static str> {
    lookup_bytes(KEY_ALGORITHMS, der)
}

/// The short name of a name attribute from its encoded OID.
pub(crate) fn attribute_name_bytes(der: &[u8]) -> Option<&'static str> {
    lookup_bytes(ATTRIBUTES, der)
}

/// A known extension from its encoded OID: the OID (a table constant, nothing decoded),
/// its name, and its row in the table (a bit number for duplicate checks).
pub(crate) fn known_extension(der: &[u8]) -> Option<(ObjectIdentifier, &'static str, usize)> {
    // id-ce (2.5.29.n) holds most extensions of every certificate: its rows (the first
    // of the table, in this order) are found by the last arc alone.
    let row = match der {
        [0x55, 0x1d, n] => match n {
            14 => 0,
            15 => 1,
            16 => 2,
            17 => 3,
            18 => 4,
            19 => 5,
            30 => 6,
            31 => 7,
            32 => 8,
            33 => 9,
            35 => 10,
            36 => 11,
            37 => 12,
            46 => 13,
            54 => 14,
            _ => return None,
        },
        _ => EXTENSIONS.iter().position(|(o, _)| o.as_bytes() == der)?,
    };
    EXTENSIONS.get(row).map(|(o, name)| (*o, *name, row))
}

/// The name of an extension, or `None` when we do not know it.
pub fn extension_name(oid: &ObjectIdentifier) -> Option<&'static str> {
    lookup(EXTENSIONS, oid)
}

/// The name of a signature algorithm, or its dotted OID.
pub fn signature_name(oid: &ObjectIdentifier) -> String {
    lookup(SIGNATURES, oid)
        .map(str::to_string)
        .unwrap_or_else(|| oid.to_string())
}

/// The name of a public key algorithm, or its dotted OID.
pub fn key_algorithm_name(oid: &ObjectIdentifier) -> String {
    lookup(KEY_ALGORITHMS, oid)
        .map(str::to_string)
        .unwrap_or_else(|| oid.to_string())
}

/// The name of an elliptic curve, or its dotted OID.
pub fn curve_name(oid: &ObjectIdentifier) -> String {
    lookup(CURVES, oid)
        .map(str::to_string)
        .unwrap_or_else(|| oid.to_string())
}

/// The name of an extended key usage, or its dotted OID.
pub fn eku_name(oid: &ObjectIdentifier) -> String {
    lookup(EKUS, oid)
        .map(str::to_string)
        .unwrap_or_else(|| oid.to_string())
}

/// The short name of a name attribute (`CN`, `O`, …), or `None`.
pub fn attribute_name(oid: &ObjectIdentifier) -> Option<&'static str> {
    lookup(ATTRIBUTES, oid)
}

/// Well-known OIDs used across the crate.
pub mod known {
    use const_oid::ObjectIdentifier;
    /// id-ce-subjectAltName
    pub const SUBJECT_ALT_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.17");
    /// id-ce-keyUsage
    pub const KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.15");
    /// id-ce-extKeyUsage
    pub const EXT_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
    /// id-ce-basicConstraints
    pub const BASIC_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.19");
    /// id-ce-subjectKeyIdentifier
    pub const SUBJECT_KEY_ID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.14");
    /// id-ce-authorityKeyIdentifier
    pub const AUTHORITY_KEY_ID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.35");
    /// id-ce-cRLDistributionPoints
    pub const CRL_DISTRIBUTION_POINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.31");
    /// id-ce-nameConstraints
    pub const NAME_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.30");
    /// id-pe-authorityInfoAccess
    pub const AUTHORITY_INFO_ACCESS: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.1.1");
    /// id-ad-caIssuers
    pub const AD_CA_ISSUERS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.2");
    /// id-ad-ocsp
    pub const AD_OCSP: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1");
    /// id-at-commonName
    pub const COMMON_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
    /// pkcs-9 extensionRequest (CSR attribute)
    pub const EXTENSION_REQUEST: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.14");
    /// rsaEncryption
    pub const RSA_ENCRYPTION: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
    /// id-RSASSA-PSS
    pub const RSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
    /// id-ecPublicKey
    pub const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
    /// id-Ed25519
    pub const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
    /// pkcs7-signedData
    pub const PKCS7_SIGNED_DATA: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
    /// id-kp-serverAuth
    pub const KP_SERVER_AUTH: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.1");
    /// id-kp-clientAuth
    pub const KP_CLIENT_AUTH: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.2");
    /// anyExtendedKeyUsage
    pub const ANY_EKU: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37.0");
}

/// Parses a key purpose OID from its DER content, taking well-known ones from the table
/// above without re-validating them (reading certificates is a hot path).
pub(crate) fn eku_oid_from_bytes(bytes: &[u8]) -> Option<ObjectIdentifier> {
    match EKUS.iter().find(|(o, _)| o.as_bytes() == bytes) {
        Some((o, _)) => Some(*o),
        None => ObjectIdentifier::from_bytes(bytes).ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_extensions_by_bytes_agree_with_the_table() {
        for (row, (oid, name)) in EXTENSIONS.iter().enumerate() {
            assert_eq!(
                known_extension(oid.as_bytes()),
                Some((*oid, *name, row)),
                "{oid}"
            );
        }
        assert!(known_extension(&[0x55, 0x1d, 0x7f]).is_none());
        assert!(known_extension(&[0x2a, 0x03]).is_none());
        assert_eq!(
            eku_oid_from_bytes(known::KP_SERVER_AUTH.as_bytes()),
            Some(known::KP_SERVER_AUTH)
        );
        assert_eq!(attribute_name_bytes(&[0x55, 0x04, 0x03]), Some("CN"));
    }
}
