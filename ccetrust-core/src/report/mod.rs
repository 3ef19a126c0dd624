//! Every view of a fact that ccetrust reports, in one place: the CLI's `--json` documents and
//! the Python binding's dicts are built here, so one fact has one JSON shape whoever asks.
//! The schema of each view is in `docs/json-schema.md` (audit codes in `docs/audit-schema.md`).
//!
//! - [`certificate`]: certificates, CSRs, CSR comparisons (`inspect`, `Certificate.to_dict()`,
//!   `inspect_many`), with their text renderings.
//! - [`verdict`]: a chain verdict (`verify --json`, `Verdict.to_dict()`).
//! - [`audit`]: the contact-center audit document and its plan (`audit --json`,
//!   `AuditReport.to_dict()`), the plan's executable actions (`AuditReport.actions()`) and
//!   the apply report.
//! - [`keystore`]: keystore listings (`keystore list --json` and `-v` text,
//!   `Keystore.to_dict()`), raw PKCS#12 bags, and what an import did (`keystore import
//!   --json`, `Keystore.import_*`); schema in `docs/keystore-schema.md`.

pub mod audit;
pub mod certificate;
pub mod keystore;
pub mod verdict;

pub use certificate::{
    certificate_json, certificate_summary_json, certificate_text, comparison_json, csr_json,
    csr_text, SUMMARY_FIELDS,
};
pub use keystore::{import_outcome_json, listing_json};
pub use verdict::verdict_json;
