//! Keystore views: the listing `ccetrust keystore list --json` prints and `Keystore.to_dict()`
//! returns in Python, and what an import did, as `ccetrust keystore import --json` prints it
//! and as the binding's `Keystore.import_*` return it: `result` (`added`, `already_present`,
//! `replaced`), the `alias` it is stored under, `changed` (whether the store differs), and the
//! detail of each result (`requested_alias`, `existing_alias`, `previous_sha256`).

use serde_json::{json, Value};

use crate::keystore::{Entry, EntryKind, ImportOutcome, Keystore};
use crate::Certificate;

fn cert_json(c: &Certificate) -> Value {
    json!({
        "sha256": c.sha256_hex(),
        "subject": c.subject().to_rfc4514(),
        "issuer": c.issuer().to_rfc4514(),
        "not_after": c.not_after().to_rfc3339(),
    })
}

/// One entry of a listing: `alias`, `kind` (`trusted_cert`, `private_key`, `secret_key`),
/// `created`, its `certificates` (chain order), and for a key entry whose key is unlocked
/// `public_key_sha256`.
pub fn entry_json(e: &Entry) -> Value {
    let pk = match &e.kind {
        EntryKind::PrivateKey(k) => k.public_key_sha256().map(|h| crate::hex(&h)),
        _ => None,
    };
    json!({
        "alias": e.alias,
        "kind": e.kind.name(),
        "created": e.created.map(|t| t.to_rfc3339()),
        "certificates": e.certificates().iter().map(cert_json).collect::<Vec<_>>(),
        "public_key_sha256": pk,
    })
}

/// The `keystore list --json` document: `format` and `entries` in store order.
pub fn listing_json(ks: &Keystore) -> Value {
    json!({
        "format": ks.format.to_string(),
        "entries": ks.entries.iter().map(entry_json).collect::<Vec<_>>(),
    })
}

/// The JSON object of one import outcome.
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
