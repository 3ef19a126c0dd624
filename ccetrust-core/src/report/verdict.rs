//! The JSON view of a chain verdict: what `ccetrust verify --json` prints and what
//! `Verdict.to_dict()` returns in Python. Certificates on the path are named by subject and
//! SHA-256 (the full view of each is [`super::certificate_json`]).

use serde_json::{json, Value};

use crate::chain::Verdict;
use crate::Certificate;

fn brief(c: &Certificate) -> Value {
    json!({"subject": c.subject().to_rfc4514(), "sha256": c.sha256_hex()})
}

/// The `verify --json` document of one verdict.
pub fn verdict_json(v: &Verdict) -> Value {
    json!({
        "valid": v.valid,
        "code": v.code.as_str(),
        "reason": v.reason,
        "path": v.path.iter().map(brief).collect::<Vec<_>>(),
        "name": v.name.as_ref().map(|n| json!({
            "checked": n.checked,
            "matched": n.matched,
            "presented": n.presented,
        })),
        "warnings": v.warnings,
        "concerns": v.concerns.as_ref().map(brief),
    })
}
