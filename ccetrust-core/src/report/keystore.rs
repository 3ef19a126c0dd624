//! The views of a keystore: its listing (JSON and keytool's `-list -v` text), an import's
//! outcome, and the raw PKCS#12 bags. Here, not in the CLI, so that the CLI and the Python
//! binding print one JSON per fact (schema: `docs/keystore-schema.md`).
//!
//! Aliases are shown as keytool lists them ([`Keystore::listed_alias`]: lower case in JKS,
//! JCEKS and PKCS#12); a PKCS#12 friendly name as stored is kept in `friendly_name`.

use serde_json::{json, Value};

use crate::keystore::{Entry, EntryKind, ImportOutcome, Keystore, KeystoreError, Pkcs12Bag};
use crate::shell::escape_control;
use crate::Certificate;

/// A certificate in a keystore listing: `{"sha256", "subject", "issuer", "not_after"}`.
pub fn certificate_json(c: &Certificate) -> Value {
    json!({
        "sha256": c.sha256_hex(),
        "subject": c.subject().to_rfc4514(),
        "issuer": c.issuer().to_rfc4514(),
        "not_after": c.not_after().to_rfc3339(),
    })
}

/// One entry: `{"alias", "friendly_name", "kind", "created", "certificates",
/// "public_key_sha256"}`.
pub fn entry_json(ks: &Keystore, e: &Entry) -> Value {
    let pk = match &e.kind {
        EntryKind::PrivateKey(k) => k.public_key_sha256().map(|h| crate::hex(&h)),
        _ => None,
    };
    json!({
        "alias": ks.listed_alias(e),
        "friendly_name": ks.friendly_name(e),
        "kind": e.kind.name(),
        "created": e.created.map(|t| t.to_rfc3339()),
        "certificates": e.certificates().iter().map(certificate_json).collect::<Vec<_>>(),
        "public_key_sha256": pk,
    })
}

/// The listing: `{"format", "integrity_checked", "entries": [...]}`. `integrity_checked`
/// is false for a JKS/JCEKS read without its password.
pub fn listing_json(ks: &Keystore, integrity_checked: bool) -> Value {
    json!({
        "format": ks.format.to_string(),
        "integrity_checked": integrity_checked,
        "entries": ks.entries.iter().map(|e| entry_json(ks, e)).collect::<Vec<_>>(),
    })
}

/// The raw PKCS#12 bags (`--all-bags`): `{"format": "PKCS12", "bags": [{"kind",
/// "friendly_name", "local_key_id", "trusted", "certificate"}]}`.
pub fn bags_json(bags: &[Pkcs12Bag]) -> Value {
    let bag = |b: &Pkcs12Bag| {
        json!({
            "kind": b.kind,
            "friendly_name": b.friendly_name,
            "local_key_id": b.local_key_id.as_deref().map(crate::hex),
            "trusted": b.trusted,
            "certificate": b.certificate.as_ref().map(certificate_json),
        })
    };
    json!({"format": "PKCS12", "bags": bags.iter().map(bag).collect::<Vec<_>>()})
}

/// The raw bags as text, one paragraph each.
pub fn bags_text(bags: &[Pkcs12Bag]) -> String {
    let mut t = format!(
        "Keystore type: PKCS12\nThe file holds {} bags\n\n",
        bags.len()
    );
    for (i, b) in bags.iter().enumerate() {
        t.push_str(&format!("Bag {}: {}\n", i + 1, b.kind));
        if let Some(f) = &b.friendly_name {
            t.push_str(&format!("Friendly name: {}\n", escape_control(f)));
        }
        if let Some(k) = &b.local_key_id {
            t.push_str(&format!("Local key ID: {}\n", crate::hex(k)));
        }
        if b.trusted {
            t.push_str("Java trusted-certificate attribute: yes\n");
        }
        if let Some(c) = &b.certificate {
            t.push_str(&format!(
                "Owner: {}\n",
                escape_control(&c.subject().to_rfc4514())
            ));
            t.push_str(&format!("\t SHA256: {}\n", colon_hex(&c.sha256())));
        }
        t.push('\n');
    }
    t
}

/// `AB:CD:…`, as keytool prints fingerprints.
pub fn colon_hex(b: &[u8]) -> String {
    b.iter()
        .map(|x| format!("{x:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// The listing as `keytool -list -v` prints it (its labels, so a reader of one reads the
/// other), with a key's state and a PKCS#12 friendly name where it differs from the alias.
/// `failed` holds the keys that did not unlock and why.
pub fn listing_text(ks: &Keystore, failed: &[(String, KeystoreError)]) -> String {
    let mut t = String::new();
    t.push_str(&format!("Keystore type: {}\n", ks.format));
    let n = ks.entries.len();
    t.push_str(&format!(
        "Your keystore contains {n} entr{}\n\n",
        if n == 1 { "y" } else { "ies" }
    ));
    for e in &ks.entries {
        entry_text(ks, e, failed, &mut t);
        t.push_str("\n\n*******************************************\n*******************************************\n\n\n");
    }
    t
}

fn entry_text(ks: &Keystore, e: &Entry, failed: &[(String, KeystoreError)], t: &mut String) {
    let alias = ks.listed_alias(e);
    t.push_str(&format!("Alias name: {}\n", escape_control(&alias)));
    if let Some(f) = ks.friendly_name(e).filter(|f| *f != alias) {
        t.push_str(&format!("Friendly name: {}\n", escape_control(f)));
    }
    if let Some(c) = e.created {
        t.push_str(&format!("Creation date: {}\n", c.to_rfc3339()));
    }
    t.push_str(&format!("Entry type: {}\n", e.kind.keytool_name()));
    if let EntryKind::PrivateKey(k) = &e.kind {
        match (k.key_algorithm(), k.public_key_sha256()) {
            (Some(alg), Some(h)) => t.push_str(&format!(
                "Private key: {alg}, public key SHA-256 {}\n",
                crate::hex(&h)
            )),
            (Some(alg), None) => t.push_str(&format!("Private key: {alg}\n")),
            _ => {
                let why = failed
                    .iter()
                    .find(|(al, _)| al == &e.alias)
                    .map(|(_, err)| err.to_string())
                    .unwrap_or_else(|| "no password given".into());
                t.push_str(&format!(
                    "Private key: still encrypted ({})\n",
                    escape_control(&why)
                ));
            }
        }
        t.push_str(&format!("Certificate chain length: {}\n", k.chain.len()));
    }
    if let EntryKind::SecretKey(s) = &e.kind {
        t.push_str(&format!(
            "Secret key: {} bytes as stored, kept unchanged\n",
            s.stored_bytes().len()
        ));
    }
    for (i, c) in e.certificates().iter().enumerate() {
        if matches!(e.kind, EntryKind::PrivateKey(_)) {
            t.push_str(&format!("Certificate[{}]:\n", i + 1));
        }
        t.push_str(&format!(
            "Owner: {}\n",
            escape_control(&c.subject().to_rfc4514())
        ));
        t.push_str(&format!(
            "Issuer: {}\n",
            escape_control(&c.issuer().to_rfc4514())
        ));
        t.push_str(&format!("Serial number: {}\n", c.serial_hex()));
        t.push_str(&format!(
            "Valid from: {} until: {}\n",
            c.not_before().to_rfc3339(),
            c.not_after().to_rfc3339()
        ));
        t.push_str("Certificate fingerprints:\n");
        t.push_str(&format!("\t SHA1: {}\n", colon_hex(&c.sha1())));
        t.push_str(&format!("\t SHA256: {}\n", colon_hex(&c.sha256())));
    }
}

/// An import's outcome: `{"result": "added"|"already_present"|"replaced", "alias", …}`.
pub fn import_outcome_json(o: &ImportOutcome) -> Value {
    let mut v = match o {
        ImportOutcome::Added { alias, requested } => {
            json!({"result": "added", "alias": alias, "requested_alias": requested})
        }
        ImportOutcome::AlreadyPresent { alias, existing } => {
            json!({"result": "already_present", "alias": alias, "existing_alias": existing})
        }
        ImportOutcome::Replaced {
            alias,
            previous_sha256,
        } => json!({"result": "replaced", "alias": alias, "previous_sha256": previous_sha256}),
    };
    v["changed"] = json!(o.changed());
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One row per result: the CLI's field names, and `changed` true exactly when the store
    /// was modified.
    #[test]
    fn every_outcome_has_result_alias_and_changed() {
        let rows = [
            (
                ImportOutcome::Added {
                    alias: "root".into(),
                    requested: Some("Root".into()),
                },
                json!({"result": "added", "alias": "root", "requested_alias": "Root", "changed": true}),
            ),
            (
                ImportOutcome::AlreadyPresent {
                    alias: "new".into(),
                    existing: "old".into(),
                },
                json!({"result": "already_present", "alias": "new", "existing_alias": "old", "changed": false}),
            ),
            (
                ImportOutcome::Replaced {
                    alias: "a".into(),
                    previous_sha256: "00".into(),
                },
                json!({"result": "replaced", "alias": "a", "previous_sha256": "00", "changed": true}),
            ),
        ];
        for (o, want) in rows {
            assert_eq!(import_outcome_json(&o), want);
        }
    }
}
