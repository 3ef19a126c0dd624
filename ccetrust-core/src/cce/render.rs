//! The audit and plan for people: text for a terminal, Markdown for a change ticket, and a
//! Graphviz DOT graph of who trusts whom (hosts as nodes, trust requirements as edges coloured
//! by status). The JSON document (versioned schema, `docs/audit-schema.md`) is built by
//! [`crate::report::audit`] and re-exported here as [`json`].
//!
//! Every value in text, Markdown and DOT that comes from an inventory, a store or a certificate
//! (names, aliases, subjects, messages that quote them, commands) goes through
//! [`shell::escape_control`], so an ANSI escape sequence or a newline in an FQDN or an alias is
//! shown as `\u{1b}` or `\n`, never sent raw to a terminal and never forges a line of the report.
//! JSON needs nothing more: serde escapes control characters.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::audit::{Audit, EdgeStatus, EvidenceSource};
use super::evidence::Source;
use super::finding::{Code, Finding};
use super::inventory::{CertificateModel, Inventory};
use super::plan::Plan;
use crate::shell;

/// A value for text output: control characters escaped.
fn esc(v: &str) -> std::borrow::Cow<'_, str> {
    shell::escape_control(v)
}

/// The JSON document and its schema identifier, built by [`crate::report::audit`].
pub use crate::report::audit::{json, SCHEMA};

pub(crate) fn deployment_line(inv: &Inventory) -> String {
    let mut s = format!("{} {}", inv.product.key().to_uppercase(), inv.version);
    if let Some(n) = inv.size {
        let _ = write!(s, ", {n} agents");
    }
    s.push_str(match inv.certificates {
        CertificateModel::SelfSigned => ", self-signed certificates",
        CertificateModel::CaSigned => ", CA-signed certificates",
    });
    s
}

pub(crate) fn edge_counts(audit: &Audit) -> [usize; 4] {
    let mut c = [0; 4];
    for e in &audit.edges {
        c[e.status as usize] += 1;
    }
    c
}

/// Findings as people read them: `chain.untrusted` findings of one store that share their
/// fix (a CA-signed deployment where one server's store lacks the issuing CA fails once per
/// server it must trust) are shown once, with the others listed; every other finding stands
/// alone. The JSON keeps every finding separately, for automation.
pub(crate) fn grouped(findings: &[Finding]) -> Vec<(&Finding, Vec<&Finding>)> {
    let mut out: Vec<(&Finding, Vec<&Finding>)> = Vec::new();
    for f in findings {
        let joins = |g: &Finding| {
            f.code == Code::ChainUntrusted
                && g.code == Code::ChainUntrusted
                && g.host == f.host
                && g.store.is_some()
                && g.store == f.store
                && !f.remediation.is_empty()
                && g.remediation == f.remediation
        };
        match out.iter_mut().find(|(g, _)| joins(g)) {
            Some((_, same)) => same.push(f),
            None => out.push((f, Vec::new())),
        }
    }
    out
}

/// "fina.corp.example.com tomcat": the exporter's certificate a grouped finding is about.
fn what_is_trusted(f: &Finding) -> String {
    match (&f.exporter, f.service) {
        (Some(e), Some(svc)) => format!("{e} {}", svc.key()),
        (Some(e), None) => e.clone(),
        _ => f.alias.clone().unwrap_or_else(|| f.message.clone()),
    }
}

/// Text for a terminal: summary, findings, plan.
pub fn text(inv: &Inventory, audit: &Audit, plan: &Plan) -> String {
    let mut s = String::new();
    let [trusted, untrusted, failed, unknown] = edge_counts(audit);
    let (errors, warnings, infos) = audit.counts();
    let _ = writeln!(
        s,
        "{} ({}), audited at {}",
        esc(&inv.name),
        deployment_line(inv),
        audit.at.to_rfc3339()
    );
    let _ = writeln!(
        s,
        "{} hosts, {} trust relationships: {trusted} trusted, {untrusted} untrusted, {failed} failing, {unknown} not checked",
        inv.hosts.len(),
        audit.edges.len()
    );
    let _ = writeln!(s, "{errors} errors, {warnings} warnings, {infos} notes\n");
    if audit.findings.is_empty() {
        s.push_str("No findings.\n");
    } else {
        s.push_str("FINDINGS\n");
    }
    for (f, same) in grouped(&audit.findings) {
        let code = if same.is_empty() {
            f.code.as_str().to_string()
        } else {
            format!("{} ×{}", f.code.as_str(), same.len() + 1)
        };
        let _ = writeln!(
            s,
            "{:<7} {:<26} {}",
            f.severity.as_str().to_uppercase(),
            code,
            esc(&f.host)
        );
        let _ = writeln!(s, "        {}", esc(&f.message));
        let mut loc = Vec::new();
        if let Some(a) = &f.alias {
            loc.push(format!("alias {}", esc(a)));
        }
        if let Some(h) = &f.sha256 {
            let short: String = h.chars().take(16).collect();
            loc.push(format!("sha256 {}…", esc(&short)));
        }
        if !loc.is_empty() {
            let _ = writeln!(s, "        [{}]", loc.join(", "));
        }
        if !same.is_empty() {
            let _ = writeln!(
                s,
                "        the same store lacks the same CA for {} more: {}",
                same.len(),
                esc(&same
                    .iter()
                    .map(|g| what_is_trusted(g))
                    .collect::<Vec<_>>()
                    .join(", "))
            );
        }
        if !f.remediation.is_empty() {
            let _ = writeln!(s, "        fix: {}", esc(&f.remediation));
        }
    }
    s.push('\n');
    s.push_str(&evidence_text(inv, audit));
    s.push_str(&plan_text(plan));
    s
}

/// Where the judged chains came from. Files are summarised (they are in the inventory);
/// fetched chains are listed, since they are what the servers presented at that moment.
fn evidence_text(inv: &Inventory, audit: &Audit) -> String {
    let mut s = String::new();
    let files = audit
        .evidence
        .iter()
        .filter(|e| matches!(e.source, Source::File(_)))
        .count();
    let fetched: Vec<&EvidenceSource> = audit
        .evidence
        .iter()
        .filter(|e| matches!(e.source, Source::Fetched(_)))
        .collect();
    let unreachable = audit
        .findings
        .iter()
        .filter(|f| f.unreachable.is_some())
        .count();
    if fetched.is_empty() && unreachable == 0 {
        return s;
    }
    let _ = writeln!(
        s,
        "EVIDENCE: {files} chains from files, {} fetched from live servers, {unreachable} ports unreachable",
        fetched.len()
    );
    for e in fetched {
        let _ = writeln!(
            s,
            "  {} {}: {}",
            esc(inv
                .hosts
                .get(e.host)
                .map(|h| h.fqdn.as_str())
                .unwrap_or("?")),
            e.service.key(),
            esc(&e.source.describe())
        );
    }
    s.push('\n');
    s
}

/// The plan alone, as text.
pub fn plan_text(plan: &Plan) -> String {
    let mut s = String::new();
    if plan.is_empty() {
        s.push_str("PLAN: nothing to do.\n");
        return s;
    }
    let executable = plan.steps().filter(|(_, st)| st.executable()).count();
    let _ = writeln!(
        s,
        "PLAN: {} steps on {} hosts ({executable} can be applied by `ccetrust apply`)",
        plan.len(),
        plan.hosts.len()
    );
    for (i, h) in plan.hosts.iter().enumerate() {
        let _ = writeln!(s, "\n[{}] {}", i + 1, esc(&h.fqdn));
        for (j, st) in h.steps.iter().enumerate() {
            let _ = writeln!(s, "  {}. {}", j + 1, esc(&st.title));
            for c in &st.commands {
                let _ = writeln!(s, "       {}", esc(c));
            }
        }
    }
    s
}

/// A value for a Markdown table cell: control characters escaped, `|` escaped.
fn md_escape(s: &str) -> String {
    esc(s).replace('|', "\\|")
}

/// Markdown for a change ticket: scope, findings table, plan as a checklist, rollback.
pub fn markdown(inv: &Inventory, audit: &Audit, plan: &Plan) -> String {
    let mut s = String::new();
    let (errors, warnings, infos) = audit.counts();
    let _ = writeln!(s, "# Certificate trust change: {}\n", esc(&inv.name));
    let _ = writeln!(s, "- Deployment: {}", deployment_line(inv));
    let _ = writeln!(s, "- Audited at: {}", audit.at.to_rfc3339());
    let _ = writeln!(
        s,
        "- Findings: {errors} errors, {warnings} warnings, {infos} notes"
    );
    let fetched = audit
        .evidence
        .iter()
        .filter(|e| matches!(e.source, Source::Fetched(_)))
        .count();
    let unreachable = audit
        .findings
        .iter()
        .filter(|f| f.unreachable.is_some())
        .count();
    let _ = writeln!(
        s,
        "- Evidence: {} chains from exported files, {fetched} fetched from live servers, {unreachable} ports unreachable",
        audit.evidence.len() - fetched
    );
    let _ = writeln!(s, "- Steps: {} on {} hosts\n", plan.len(), plan.hosts.len());
    s.push_str("## Findings\n\n| severity | code | host | what | fix |\n|---|---|---|---|---|\n");
    for (f, same) in grouped(&audit.findings) {
        let mut what = f.message.clone();
        if !same.is_empty() {
            what.push_str(&format!(
                " The same store lacks the same CA for {} more: {}.",
                same.len(),
                same.iter()
                    .map(|g| what_is_trusted(g))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let _ = writeln!(
            s,
            "| {} | `{}` | {} | {} | {} |",
            f.severity,
            f.code,
            md_escape(&f.host),
            md_escape(&what),
            md_escape(&f.remediation)
        );
    }
    if fetched > 0 {
        s.push_str("\n## Chains collected from live servers\n\n| host | service | source | leaf SHA-256 |\n|---|---|---|---|\n");
        for e in &audit.evidence {
            if let Source::Fetched(_) = e.source {
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | `{}` |",
                    md_escape(
                        inv.hosts
                            .get(e.host)
                            .map(|h| h.fqdn.as_str())
                            .unwrap_or("?")
                    ),
                    e.service.key(),
                    md_escape(&e.source.describe()),
                    e.chain_sha256.first().map(String::as_str).unwrap_or("")
                );
            }
        }
    }
    s.push_str("\n## Implementation plan\n");
    for h in &plan.hosts {
        let _ = writeln!(s, "\n### {}\n", esc(&h.fqdn));
        for st in &h.steps {
            let _ = writeln!(s, "- [ ] {}", esc(&st.title));
            if !st.commands.is_empty() {
                s.push_str("  ```\n");
                for c in &st.commands {
                    let _ = writeln!(s, "  {}", esc(c));
                }
                s.push_str("  ```\n");
            }
        }
    }
    s.push_str("\n## Rollback\n\nRestore the backups taken in each host's first step (copy the `.bak` file or folder back over the store) and repeat the restarts.\n");
    s
}

/// A DOT quoted string: backslashes and quotes escaped, then control characters (a newline
/// becomes DOT's own `\n` line break).
fn dot_id(s: &str) -> String {
    let quoted = s.replace('\\', "\\\\").replace('"', "\\\"");
    format!("\"{}\"", esc(&quoted))
}

/// A Graphviz graph: an edge from importer to exporter per pair, coloured by the worst status
/// among its requirements (green trusted, red untrusted, orange failing, grey not checked).
pub fn dot(inv: &Inventory, audit: &Audit) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "digraph trust {{");
    let _ = writeln!(
        s,
        "  label={};",
        dot_id(&format!(
            "{} — who trusts whom at {}",
            inv.name,
            audit.at.to_rfc3339()
        ))
    );
    s.push_str("  rankdir=LR;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=9];\n");
    let mut clusters: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, h) in inv.hosts.iter().enumerate() {
        if let Some(c) = &h.cluster {
            clusters.entry(c).or_default().push(i);
        }
    }
    let node = |i: usize| {
        let h = &inv.hosts[i];
        let roles: Vec<&str> = h.roles.iter().map(|r| r.key()).collect();
        format!(
            "  {} [label={}];\n",
            dot_id(&h.fqdn),
            dot_id(&format!("{}\n{}", h.name, roles.join(", ")))
        )
    };
    for (n, (c, members)) in clusters.iter().enumerate() {
        let _ = writeln!(
            s,
            "  subgraph cluster_{n} {{\n    label={};",
            dot_id(&format!("VOS cluster {c}"))
        );
        for &i in members {
            s.push_str("  ");
            s.push_str(&node(i));
        }
        s.push_str("  }\n");
    }
    for (i, h) in inv.hosts.iter().enumerate() {
        if h.cluster.is_none() {
            s.push_str(&node(i));
        }
    }
    let mut pairs: BTreeMap<(usize, usize), (EdgeStatus, Vec<&str>)> = BTreeMap::new();
    for e in &audit.edges {
        let entry = pairs
            .entry((e.importer, e.exporter))
            .or_insert((EdgeStatus::Trusted, Vec::new()));
        // Worst first: untrusted > failed > unknown > trusted.
        let rank = |st: EdgeStatus| match st {
            EdgeStatus::Untrusted => 3,
            EdgeStatus::Failed => 2,
            EdgeStatus::Unknown => 1,
            EdgeStatus::Trusted => 0,
        };
        if rank(e.status) > rank(entry.0) {
            entry.0 = e.status;
        }
        if !entry.1.contains(&e.service.key()) {
            entry.1.push(e.service.key());
        }
    }
    for ((imp, exp), (status, services)) in pairs {
        let (color, style) = match status {
            EdgeStatus::Trusted => ("forestgreen", "solid"),
            EdgeStatus::Untrusted => ("red", "bold"),
            EdgeStatus::Failed => ("darkorange", "bold"),
            EdgeStatus::Unknown => ("gray60", "dashed"),
        };
        let _ = writeln!(
            s,
            "  {} -> {} [color={color}, style={style}, label={}, tooltip={}];",
            dot_id(&inv.hosts[imp].fqdn),
            dot_id(&inv.hosts[exp].fqdn),
            dot_id(&services.join("+")),
            dot_id(status.as_str())
        );
    }
    s.push_str("}\n");
    s
}
