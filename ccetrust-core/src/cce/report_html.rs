//! `ccetrust audit --format html`: the audit as one self-contained HTML page, readable offline
//! on a jump host and attachable to a change ticket.
//!
//! One file, nothing fetched: the style and the small script are inline and a
//! Content-Security-Policy (`default-src 'none'`) forbids the page any request at all. It shows
//! the summary line; the trust matrix (importers as rows, exporters as columns, both grouped by
//! role, one coloured mark per relationship with its code and reason on hover), which stays
//! readable for hundreds of hosts through sticky headers and collapsible role groups; the
//! findings grouped as the text report groups them; and the plan by host, each command in a
//! block with a copy button. Marks and findings carry `data-importer`, `data-exporter`,
//! `data-service`, `data-status` and `data-code`, so a script (or a test) reads the page.
//!
//! Every value from the inventory, a store or a certificate is HTML-escaped ([`escape`]).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::audit::{Audit, Edge, EdgeStatus};
use super::finding::Finding;
use super::inventory::Inventory;
use super::plan::Plan;
use super::render::{deployment_line, edge_counts, grouped};

/// `&`, `<`, `>`, `"` and `'` as character references: safe in text and in quoted attributes.
pub fn escape(v: &str) -> String {
    let mut s = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&#39;"),
            c => s.push(c),
        }
    }
    s
}

const STYLE: &str = r#"
body{font:14px/1.4 system-ui,sans-serif;margin:1em;color:#222}
h1{font-size:1.4em}h2{font-size:1.2em;margin-top:1.5em}
.summary{font-weight:600}
.legend span{margin-right:1em}
.wrap{overflow:auto;max-height:80vh;border:1px solid #ccc}
table.matrix{border-collapse:separate;border-spacing:0;font-size:11px}
.matrix th,.matrix td{border:1px solid #eee;padding:1px 2px;white-space:nowrap}
.matrix thead th{position:sticky;top:0;background:#f4f4f4;z-index:2}
.matrix thead tr.hosts th{top:1.6em}
.matrix tbody th{position:sticky;left:0;background:#f9f9f9;z-index:1;text-align:left}
.matrix thead th.corner{left:0;z-index:3}
.matrix th.group{cursor:pointer;background:#e4e8f0}
.matrix .col-host{writing-mode:vertical-rl;transform:rotate(180deg);max-height:14em}
.off{display:none}
.rel{display:inline-block;min-width:1.2em;padding:0 2px;margin:0 1px;border-radius:2px;color:#fff;font-size:10px}
.s-trusted{background:#2e7d32}.s-untrusted{background:#c62828}.s-failed{background:#ef6c00}.s-unknown{background:#9e9e9e}
.finding{border-left:4px solid #999;padding:.3em .6em;margin:.4em 0;background:#fafafa}
.sev-error{border-color:#c62828}.sev-warning{border-color:#ef6c00}.sev-info{border-color:#1565c0}
.code{font-family:monospace;font-weight:600}
.meta{color:#555;font-size:12px}
pre{background:#f4f4f4;padding:.4em;margin:.2em 0;overflow:auto;white-space:pre-wrap}
.cmd{position:relative}
button.copy{font-size:11px;float:right}
"#;

const SCRIPT: &str = r#"
document.addEventListener('click', function (ev) {
  var t = ev.target;
  if (t.matches && t.matches('th.group[data-rgroup]')) {
    document.querySelectorAll('tr[data-rgroup="' + t.dataset.rgroup + '"]').forEach(function (r) {
      r.classList.toggle('off');
    });
  } else if (t.matches && t.matches('th.group[data-cgroup]')) {
    document.querySelectorAll('[data-cgroup="' + t.dataset.cgroup + '"]:not(.group)').forEach(function (c) {
      c.classList.toggle('off');
    });
  } else if (t.matches && t.matches('button.copy')) {
    var code = t.parentNode.querySelector('code').textContent;
    if (navigator.clipboard) {
      navigator.clipboard.writeText(code).then(function () { t.textContent = 'Copied'; },
        function () { t.textContent = 'Select and copy'; });
    }
  }
});
"#;

/// The role group of a host: its first role's title.
fn group(inv: &Inventory, host: usize) -> &'static str {
    inv.hosts
        .get(host)
        .and_then(|h| h.roles.first())
        .map_or("other", |r| r.info().title)
}

/// Hosts ordered by role group then inventory order, with their group.
fn ordered(inv: &Inventory, hosts: impl Iterator<Item = usize>) -> Vec<(&'static str, usize)> {
    let mut v: Vec<(&'static str, usize)> = hosts.map(|h| (group(inv, h), h)).collect();
    v.sort();
    v.dedup();
    v
}

fn fqdn(inv: &Inventory, i: usize) -> &str {
    inv.hosts.get(i).map_or("?", |h| h.fqdn.as_str())
}

fn mark(inv: &Inventory, e: &Edge) -> String {
    let status = e.status.as_str();
    format!(
        "<span class=\"rel s-{status}\" data-importer=\"{}\" data-exporter=\"{}\" data-service=\"{}\" data-store=\"{}\" data-requirement=\"{}\" data-status=\"{status}\" data-code=\"{}\" title=\"{}\">{}</span>",
        escape(fqdn(inv, e.importer)),
        escape(fqdn(inv, e.exporter)),
        e.service.key(),
        e.store.key(),
        escape(e.requirement),
        escape(e.code.as_str()),
        escape(&format!(
            "{} ← {} {}: {} ({}) {}",
            fqdn(inv, e.importer),
            fqdn(inv, e.exporter),
            e.service.key(),
            status,
            e.code.as_str(),
            e.reason
        )),
        escape(e.service.key())
    )
}

/// The trust matrix: a row per importer, a column per exporter, role groups on both axes.
fn matrix(inv: &Inventory, audit: &Audit) -> String {
    let rows = ordered(inv, audit.edges.iter().map(|e| e.importer));
    let cols = ordered(inv, audit.edges.iter().map(|e| e.exporter));
    let mut cells: BTreeMap<(usize, usize), Vec<&Edge>> = BTreeMap::new();
    for e in &audit.edges {
        cells.entry((e.importer, e.exporter)).or_default().push(e);
    }
    let mut s = String::from("<div class=\"wrap\"><table class=\"matrix\" id=\"matrix\"><thead><tr class=\"groups\"><th class=\"corner\" rowspan=\"2\">importer ↓ trusts exporter →</th>");
    let mut spans: Vec<(&str, usize)> = Vec::new();
    for (g, _) in &cols {
        match spans.last_mut() {
            Some((last, n)) if last == g => *n += 1,
            _ => spans.push((g, 1)),
        }
    }
    for (gi, (g, n)) in spans.iter().enumerate() {
        let _ = write!(
            s,
            "<th class=\"group\" colspan=\"{n}\" data-cgroup=\"c{gi}\" title=\"click to collapse or expand\">{}</th>",
            escape(g)
        );
    }
    s.push_str("</tr><tr class=\"hosts\">");
    let gid = |g: &str| spans.iter().position(|(x, _)| *x == g).unwrap_or(0);
    for (g, c) in &cols {
        let _ = write!(
            s,
            "<th class=\"col-host\" data-cgroup=\"c{}\">{}</th>",
            gid(g),
            escape(fqdn(inv, *c))
        );
    }
    s.push_str("</tr></thead><tbody>");
    let mut current = None;
    for (ri, (g, r)) in rows.iter().enumerate() {
        if current != Some(*g) {
            current = Some(*g);
            let _ = write!(
                s,
                "<tr><th class=\"group\" data-rgroup=\"r{ri}\" colspan=\"{}\" title=\"click to collapse or expand\">{}</th></tr>",
                cols.len() + 1,
                escape(g)
            );
        }
        let rg = rows.iter().position(|(x, _)| x == g).unwrap_or(0);
        let _ = write!(
            s,
            "<tr data-rgroup=\"r{rg}\"><th>{}</th>",
            escape(fqdn(inv, *r))
        );
        for (cg, c) in &cols {
            let _ = write!(s, "<td data-cgroup=\"c{}\">", gid(cg));
            for e in cells.get(&(*r, *c)).into_iter().flatten() {
                s.push_str(&mark(inv, e));
            }
            s.push_str("</td>");
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table></div>\n");
    s
}

/// The status of the relationship a finding is about, `none` when it names none.
fn finding_status(inv: &Inventory, audit: &Audit, f: &Finding) -> &'static str {
    let hit = audit.edges.iter().find(|e| {
        Some(fqdn(inv, e.importer)) == f.importer.as_deref()
            && Some(fqdn(inv, e.exporter)) == f.exporter.as_deref()
            && f.service.is_none_or(|s| s == e.service)
    });
    hit.map_or("none", |e| e.status.as_str())
}

fn findings(inv: &Inventory, audit: &Audit) -> String {
    let mut s = String::from("<h2>Findings</h2>\n");
    if audit.findings.is_empty() {
        s.push_str("<p>No findings.</p>\n");
    }
    for (f, same) in grouped(&audit.findings) {
        let count = if same.is_empty() {
            String::new()
        } else {
            format!(" ×{}", same.len() + 1)
        };
        let _ = write!(
            s,
            "<div class=\"finding sev-{sev}\" data-code=\"{code}\" data-severity=\"{sev}\" data-host=\"{host}\" data-importer=\"{imp}\" data-exporter=\"{exp}\" data-service=\"{svc}\" data-status=\"{st}\"><span class=\"code\">{sevu} {code}{count}</span> {host}<br>{msg}",
            sev = f.severity.as_str(),
            sevu = f.severity.as_str().to_uppercase(),
            code = escape(f.code.as_str()),
            host = escape(&f.host),
            imp = escape(f.importer.as_deref().unwrap_or("")),
            exp = escape(f.exporter.as_deref().unwrap_or("")),
            svc = f.service.map_or("", |s| s.key()),
            st = finding_status(inv, audit, f),
            msg = escape(&f.message),
        );
        let mut meta = Vec::new();
        if let Some(a) = &f.alias {
            meta.push(format!("alias {}", escape(a)));
        }
        if let Some(h) = &f.sha256 {
            meta.push(format!("sha256 {}", escape(h)));
        }
        if !same.is_empty() {
            let others: Vec<String> = same
                .iter()
                .map(|g| escape(g.exporter.as_deref().unwrap_or(&g.host)))
                .collect();
            meta.push(format!(
                "the same store lacks the same CA for {} more: {}",
                same.len(),
                others.join(", ")
            ));
        }
        if !meta.is_empty() {
            let _ = write!(s, "<div class=\"meta\">{}</div>", meta.join(" · "));
        }
        if !f.remediation.is_empty() {
            let _ = write!(s, "<div>fix: {}</div>", escape(&f.remediation));
        }
        s.push_str("</div>\n");
    }
    s
}

fn plan_html(plan: &Plan) -> String {
    let mut s = format!(
        "<h2>Plan: {} steps on {} hosts</h2>\n",
        plan.len(),
        plan.hosts.len()
    );
    if plan.is_empty() {
        s.push_str("<p>Nothing to do.</p>\n");
    }
    for h in &plan.hosts {
        let _ = write!(s, "<h3>{}</h3><ol>", escape(&h.fqdn));
        for st in &h.steps {
            let _ = write!(
                s,
                "<li data-kind=\"{}\" data-executable=\"{}\">{}",
                st.kind.as_str(),
                st.executable(),
                escape(&st.title)
            );
            for c in &st.commands {
                let _ = write!(
                    s,
                    "<div class=\"cmd\"><button class=\"copy\" type=\"button\">Copy</button><pre><code>{}</code></pre></div>",
                    escape(c)
                );
            }
            s.push_str("</li>");
        }
        s.push_str("</ol>\n");
    }
    s
}

/// The whole page.
pub fn html(inv: &Inventory, audit: &Audit, plan: &Plan) -> String {
    let [trusted, untrusted, failed, unknown] = edge_counts(audit);
    let (errors, warnings, infos) = audit.counts();
    let mut s = String::from("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    s.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    let _ = writeln!(
        s,
        "<title>ccetrust audit: {}</title><style>{STYLE}</style></head><body>",
        escape(&inv.name)
    );
    let _ = writeln!(
        s,
        "<h1>{} ({})</h1><p class=\"summary\" id=\"summary\">audited at {}: {} hosts, {} trust relationships: {trusted} trusted, {untrusted} untrusted, {failed} failing, {unknown} not checked; {errors} errors, {warnings} warnings, {infos} notes</p>",
        escape(&inv.name),
        escape(&deployment_line(inv)),
        audit.at.to_rfc3339(),
        inv.hosts.len(),
        audit.edges.len()
    );
    s.push_str("<h2>Trust matrix</h2><p class=\"legend\">");
    for st in [
        EdgeStatus::Trusted,
        EdgeStatus::Untrusted,
        EdgeStatus::Failed,
        EdgeStatus::Unknown,
    ] {
        let _ = write!(
            s,
            "<span><span class=\"rel s-{0}\">&nbsp;</span> {0}</span>",
            st.as_str()
        );
    }
    s.push_str(" — hover a mark for its code and reason; click a role to collapse it.</p>\n");
    s.push_str(&matrix(inv, audit));
    s.push_str(&findings(inv, audit));
    s.push_str(&plan_html(plan));
    let _ = writeln!(s, "<script>{SCRIPT}</script></body></html>");
    s
}

#[cfg(test)]
mod tests {
    use super::escape;

    /// HTML Living Standard §13.1.2.3/§13.5: `<` and `&` in text, `"` in double-quoted
    /// attributes, `'` for single-quoted ones.
    #[test]
    fn every_markup_character_is_a_reference() {
        for (raw, want) in [
            ("plain", "plain"),
            ("<script>", "&lt;script&gt;"),
            ("a & b", "a &amp; b"),
            ("\"x\" 'y'", "&quot;x&quot; &#39;y&#39;"),
        ] {
            assert_eq!(escape(raw), want, "{raw:?}");
        }
    }
}
