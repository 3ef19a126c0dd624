//! The audit as the Prometheus text exposition format (version 0.0.4), the format
//! node_exporter's textfile collector and every Prometheus-compatible agent read, so
//! certificate expiry and broken trust relationships page someone before users notice.
//!
//! The certificate metrics follow the shape users know from x509-certificate-exporter
//! (`x509_cert_not_after` as a Unix time) under a `ccetrust_` prefix. Every family has its
//! `# HELP` and `# TYPE` lines; label values are escaped as the format says (backslash, double
//! quote and line feed become `\\`, `\"` and `\n`), so an alias or a CN can never end a
//! sample early or forge one.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::time::Duration;

use super::audit::{Audit, EdgeStatus};
use super::certificates::{self, CertificateRow, Seen};
use super::evidence::Evidence;
use super::inventory::Inventory;

/// A label value as the exposition format writes it (between double quotes).
pub fn escape_label(v: &str) -> String {
    let mut s = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '\\' => s.push_str("\\\\"),
            '"' => s.push_str("\\\""),
            '\n' => s.push_str("\\n"),
            c => s.push(c),
        }
    }
    s
}

/// One metric family being written: HELP and TYPE once, then its samples, no sample twice.
struct Family<'a> {
    out: &'a mut String,
    name: &'static str,
    seen: BTreeSet<String>,
}

impl<'a> Family<'a> {
    fn new(out: &'a mut String, name: &'static str, kind: &str, help: &str) -> Family<'a> {
        let _ = writeln!(out, "# HELP {name} {help}");
        let _ = writeln!(out, "# TYPE {name} {kind}");
        Family {
            out,
            name,
            seen: BTreeSet::new(),
        }
    }

    /// Writes one sample; a label set already written is skipped (a series must be unique).
    fn sample(&mut self, labels: &[(&str, &str)], value: impl std::fmt::Display) {
        let body: Vec<String> = labels
            .iter()
            .map(|(k, v)| format!("{k}=\"{}\"", escape_label(v)))
            .collect();
        let body = body.join(",");
        if !self.seen.insert(body.clone()) {
            return;
        }
        if body.is_empty() {
            let _ = writeln!(self.out, "{} {value}", self.name);
        } else {
            let _ = writeln!(self.out, "{}{{{body}}} {value}", self.name);
        }
    }
}

fn cert_labels(r: &CertificateRow) -> Vec<(&'static str, String)> {
    let (source, service, index, store, alias) = match &r.seen {
        Seen::Presented { service, index } => (
            "presented",
            service.key().to_string(),
            index.to_string(),
            String::new(),
            String::new(),
        ),
        Seen::Store { store, alias } => (
            "store",
            String::new(),
            String::new(),
            store.to_string(),
            alias.clone(),
        ),
    };
    vec![
        ("host", r.host.clone()),
        ("source", source.to_string()),
        ("service", service),
        ("chain_index", index),
        ("store", store),
        ("alias", alias),
        ("subject_CN", r.subject_cn.clone()),
        ("issuer", r.issuer.clone()),
        ("sha256", r.sha256.clone()),
    ]
}

fn as_refs<'a>(l: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    l.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn certificate_families(s: &mut String, rows: &[CertificateRow]) {
    let labelled: Vec<Vec<(&'static str, String)>> = rows.iter().map(cert_labels).collect();
    let mut f = Family::new(
        s,
        "ccetrust_x509_cert_not_after",
        "gauge",
        "End of validity of a certificate a host presents or holds in a trust store, as a Unix time.",
    );
    for (r, l) in rows.iter().zip(&labelled) {
        f.sample(&as_refs(l), r.not_after.unix());
    }
    let mut f = Family::new(
        s,
        "ccetrust_x509_cert_not_before",
        "gauge",
        "Start of validity of a certificate a host presents or holds in a trust store, as a Unix time.",
    );
    for (r, l) in rows.iter().zip(&labelled) {
        f.sample(&as_refs(l), r.not_before.unix());
    }
}

fn relationship_family(s: &mut String, inv: &Inventory, audit: &Audit) {
    let mut f = Family::new(
        s,
        "ccetrust_trust_relationship_trusted",
        "gauge",
        "1 when the importer trusts the exporter's certificate for this relationship, 0 when not (status and code say why).",
    );
    for e in &audit.edges {
        let host = |i: usize| inv.hosts.get(i).map(|h| h.fqdn.as_str()).unwrap_or("");
        let code = e.code.as_str();
        f.sample(
            &[
                ("requirement", e.requirement),
                ("importer", host(e.importer)),
                ("exporter", host(e.exporter)),
                ("service", e.service.key()),
                ("store", e.store.key()),
                ("alias", e.alias.as_deref().unwrap_or("")),
                ("status", e.status.as_str()),
                ("code", code),
            ],
            u8::from(e.status == EdgeStatus::Trusted),
        );
    }
}

/// The whole exposition: certificates, relationships, findings, the audit's own facts.
/// `duration` is how long reading the evidence, auditing and planning took.
pub fn prometheus(inv: &Inventory, ev: &Evidence, audit: &Audit, duration: Duration) -> String {
    let mut s = String::new();
    certificate_families(&mut s, &certificates::rows(inv, ev));
    relationship_family(&mut s, inv, audit);
    let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for f in &audit.findings {
        *counts
            .entry((f.code.as_str(), f.severity.as_str()))
            .or_default() += 1;
    }
    let mut f = Family::new(
        &mut s,
        "ccetrust_findings",
        "gauge",
        "Number of findings of the audit with this code and severity.",
    );
    for ((code, severity), n) in counts {
        f.sample(&[("code", code), ("severity", severity)], n);
    }
    let name = inv.name.as_str();
    let (errors, warnings, infos) = audit.counts();
    let mut f = Family::new(
        &mut s,
        "ccetrust_findings_by_severity",
        "gauge",
        "Number of findings of the audit with this severity (every severity, zero included, so an alert can test == 0).",
    );
    for (severity, n) in [("error", errors), ("warning", warnings), ("info", infos)] {
        f.sample(&[("deployment", name), ("severity", severity)], n);
    }
    let mut f = Family::new(
        &mut s,
        "ccetrust_audit_timestamp_seconds",
        "gauge",
        "The moment the audit judged the connections at, as a Unix time.",
    );
    f.sample(&[("deployment", name)], audit.at.unix());
    let mut f = Family::new(
        &mut s,
        "ccetrust_audit_duration_seconds",
        "gauge",
        "How long reading the evidence, auditing and planning took, in seconds.",
    );
    f.sample(
        &[("deployment", name)],
        format!("{:.3}", duration.as_secs_f64()),
    );
    let unreadable: usize = ev.hosts.iter().map(|h| h.unreadable.len()).sum();
    let unreachable: usize = ev.hosts.iter().map(|h| h.unreachable.len()).sum();
    let mut f = Family::new(
        &mut s,
        "ccetrust_evidence_read_errors",
        "gauge",
        "Evidence the audit could not read: files that could not be read, ports that could not be reached.",
    );
    f.sample(&[("deployment", name), ("kind", "file")], unreadable);
    f.sample(&[("deployment", name), ("kind", "fetch")], unreachable);
    s
}

#[cfg(test)]
mod tests {
    use super::escape_label;

    /// The exposition format (text format 0.0.4, "label_value can be any sequence of UTF-8
    /// characters, but the backslash, the double-quote and the line feed must be escaped").
    #[test]
    fn label_values_escape_backslash_quote_and_line_feed() {
        for (raw, want) in [
            ("plain", "plain"),
            ("a\\b", "a\\\\b"),
            ("say \"hi\"", "say \\\"hi\\\""),
            ("two\nlines", "two\\nlines"),
            ("tab\tstays", "tab\tstays"),
        ] {
            assert_eq!(escape_label(raw), want, "{raw:?}");
        }
    }
}
