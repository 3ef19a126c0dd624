//! `ccetrust audit`, `ccetrust plan` and `ccetrust apply`: the contact-center verbs.
//!
//! All three read an inventory (see `docs/inventory.md`), read the evidence it points at, and
//! audit it at `--at` (default: now). Hosts marked `fetch = true` are collected from the live
//! servers first (`--fetch-concurrency`, `--fetch-timeout`), unless `--offline`. `audit` prints findings and the plan; `plan` prints only
//! the plan (and with `--out DIR` writes the certificate files its commands name); `apply`
//! carries out the steps on the keystores ccetrust can reach, with backups, then audits again.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::cce::{self, render, AuditOptions, FetchOptions, Inventory, Severity};
use crate::{Error, Timestamp};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// For a terminal.
    Text,
    /// The versioned JSON document (docs/audit-schema.md).
    Json,
    /// A change ticket.
    Markdown,
    /// A Graphviz graph of who trusts whom (`| dot -Tsvg`).
    Dot,
    /// The Prometheus text exposition format (node_exporter's textfile collector).
    Prometheus,
    /// One self-contained HTML page: trust matrix, findings, plan.
    Html,
}

/// When the exit code says "findings".
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailOn {
    /// Always exit 0 when the audit ran.
    Never,
    /// Exit 3 when there is an error finding.
    Error,
    /// Exit 3 when there is an error or warning finding.
    Warning,
}

/// How `fetch = true` hosts are collected.
#[derive(Args, Debug, Clone)]
pub(crate) struct FetchArgs {
    /// Do not connect to any server: hosts with `fetch = true` are reported as not collected
    /// (for a jump host without reach to the servers).
    #[arg(long)]
    pub offline: bool,
    /// At most N connections open at once while collecting `fetch = true` hosts.
    #[arg(long, value_name = "N", default_value_t = 8,
          value_parser = clap::value_parser!(u16).range(1..=cce::collect::MAX_CONCURRENCY as i64))]
    pub fetch_concurrency: u16,
    /// Seconds allowed for each connect and each TLS handshake while collecting
    /// [default: 5 to connect, 10 for the handshake].
    #[arg(long, value_name = "S", value_parser = parse_seconds)]
    pub fetch_timeout: Option<f64>,
}

fn parse_seconds(s: &str) -> Result<f64, String> {
    s.parse::<f64>()
        .ok()
        .filter(|v| FetchOptions::default().with_timeout_secs(*v).is_some())
        .ok_or_else(|| format!("{s:?} is not a number of seconds between 0 and 3600"))
}

impl FetchArgs {
    fn options(&self) -> FetchOptions {
        let o = FetchOptions {
            enabled: !self.offline,
            concurrency: usize::from(self.fetch_concurrency),
            ..FetchOptions::default()
        };
        // `parse_seconds` already refused what `with_timeout_secs` refuses.
        self.fetch_timeout
            .and_then(|s| o.with_timeout_secs(s))
            .unwrap_or(o)
    }
}

#[derive(Args, Debug)]
pub(crate) struct AuditArgs {
    /// Same as `--format json`.
    #[arg(long)]
    pub json: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Judge connections at this time (RFC 3339, or a date), instead of now.
    #[arg(long, value_name = "RFC3339")]
    pub at: Option<String>,
    /// Report certificates expiring within this many days.
    #[arg(long, value_name = "N", default_value_t = 60)]
    pub expiring_days: u32,
    /// Exit with status 3 when findings of this severity (or worse) exist.
    #[arg(long, value_enum, default_value_t = FailOn::Never)]
    pub fail_on: FailOn,
    #[command(flatten)]
    pub fetch: FetchArgs,
    /// The inventory file (TOML).
    pub inventory: PathBuf,
}

#[derive(Args, Debug)]
pub(crate) struct PlanArgs {
    #[command(flatten)]
    pub audit: AuditArgs,
    /// Write the certificates the plan imports to DIR/<host>/<file>.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub(crate) struct ApplyArgs {
    /// Print JSON (with `--dry-run`: `{"dry_run": true, "steps": [{"host", "title"}]}`).
    #[arg(long)]
    pub json: bool,
    /// Judge connections at this time (RFC 3339), instead of now.
    #[arg(long, value_name = "RFC3339")]
    pub at: Option<String>,
    /// Report certificates expiring within this many days.
    #[arg(long, value_name = "N", default_value_t = 60)]
    pub expiring_days: u32,
    /// Show what would be done; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub fetch: FetchArgs,
    /// The inventory file (TOML).
    pub inventory: PathBuf,
}

impl AuditArgs {
    pub fn json(&self) -> bool {
        self.json || self.format == Format::Json
    }
}

fn options(at: Option<&str>, expiring_days: u32) -> Result<AuditOptions, Error> {
    let at = match at {
        None => Timestamp::now(),
        Some(s) => Timestamp::parse_rfc3339(s).ok_or_else(|| {
            Error::Usage(format!(
                "--at {s}: expected RFC 3339, e.g. 2026-11-23T08:00:00Z"
            ))
        })?,
    };
    Ok(AuditOptions { at, expiring_days })
}

fn exit_for(audit: &cce::Audit, fail_on: FailOn) -> i32 {
    let worst = audit.findings.iter().map(|f| f.severity).max();
    match (fail_on, worst) {
        (FailOn::Error, Some(Severity::Error)) => super::exit::NO,
        (FailOn::Warning, Some(Severity::Error | Severity::Warning)) => super::exit::NO,
        _ => super::exit::YES,
    }
}

/// The `audit --json` document: the library's, plus the `certificates` list of the evidence.
fn audit_doc(
    inv: &Inventory,
    ev: &cce::Evidence,
    audit: &cce::Audit,
    plan: &cce::Plan,
) -> serde_json::Value {
    crate::report::audit::document(inv, ev, audit, plan)
}

/// `ccetrust audit`.
pub(crate) fn run_audit(args: &AuditArgs) -> Result<i32, Error> {
    let inv = Inventory::load(&args.inventory)?;
    let opts = options(args.at.as_deref(), args.expiring_days)?;
    // `cce::run_with`, step by step: the certificates and the duration are reported too.
    let started = std::time::Instant::now();
    let ev = cce::Evidence::collect_with(&inv, &args.fetch.options())?;
    let audit = cce::audit(&inv, &ev, &opts);
    let plan = cce::plan(&inv, &audit);
    let took = started.elapsed();
    let format = if args.json { Format::Json } else { args.format };
    match format {
        Format::Text => super::out(&render::text(&inv, &audit, &plan)),
        Format::Json => super::print_json(&audit_doc(&inv, &ev, &audit, &plan)),
        Format::Markdown => super::out(&render::markdown(&inv, &audit, &plan)),
        Format::Dot => super::out(&render::dot(&inv, &audit)),
        Format::Prometheus => {
            super::out(&cce::report_prometheus::prometheus(&inv, &ev, &audit, took))
        }
        Format::Html => super::out(&cce::report_html::html(&inv, &audit, &plan)),
    }
    Ok(exit_for(&audit, args.fail_on))
}

/// `ccetrust plan`.
pub(crate) fn run_plan(args: &PlanArgs) -> Result<i32, Error> {
    let a = &args.audit;
    let inv = Inventory::load(&a.inventory)?;
    let opts = options(a.at.as_deref(), a.expiring_days)?;
    let (audit, plan) = cce::run_with(&inv, &opts, &a.fetch.options())?;
    if let Some(dir) = &args.out {
        let files = cce::apply::write_files(&plan, dir)?;
        eprintln!(
            "ccetrust: wrote {} certificate files under {}",
            files.len(),
            super::esc(&dir.display().to_string())
        );
    }
    let format = if a.json { Format::Json } else { a.format };
    match format {
        Format::Text | Format::Dot | Format::Prometheus => super::out(&render::plan_text(&plan)),
        Format::Html => super::out(&cce::report_html::html(&inv, &audit, &plan)),
        Format::Json => {
            let doc = render::json(&inv, &audit, &plan);
            super::print_json(&serde_json::json!({
                "schema": render::SCHEMA,
                "at": doc["at"],
                "plan": doc["plan"],
            }));
        }
        Format::Markdown => super::out(&render::markdown(&inv, &audit, &plan)),
    }
    Ok(exit_for(&audit, a.fail_on))
}

/// `ccetrust apply`.
pub(crate) fn run_apply(args: &ApplyArgs) -> Result<i32, Error> {
    let inv = Inventory::load(&args.inventory)?;
    let opts = options(args.at.as_deref(), args.expiring_days)?;
    let fetch = args.fetch.options();
    let (_, plan) = cce::run_with(&inv, &opts, &fetch)?;
    if args.dry_run {
        if args.json {
            let steps: Vec<_> = plan
                .steps()
                .filter(|(_, st)| st.executable())
                .map(|(h, st)| serde_json::json!({"host": h.fqdn, "title": st.title}))
                .collect();
            super::print_json(&serde_json::json!({
                "schema": render::SCHEMA,
                "dry_run": true,
                "steps": steps,
                "manual_steps": plan.steps().filter(|(_, st)| !st.executable()).count(),
            }));
            return Ok(0);
        }
        let mut s = String::from("Dry run: these steps would be carried out:\n");
        for (h, st) in plan.steps().filter(|(_, st)| st.executable()) {
            s.push_str(&format!(
                "  {}: {}\n",
                super::esc(&h.fqdn),
                super::esc(&st.title)
            ));
        }
        super::out(&s);
        return Ok(0);
    }
    let report = cce::apply_at(&inv, &plan, opts.at)?;
    let ev = cce::Evidence::collect_with(&inv, &fetch)?;
    let after = cce::audit(&inv, &ev, &opts);
    let remaining = cce::plan(&inv, &after);
    if args.json {
        let mut doc = crate::report::audit::apply_json(&report);
        doc["after"] = audit_doc(&inv, &ev, &after, &remaining);
        super::print_json(&doc);
    } else {
        let mut s = String::new();
        for b in &report.backups {
            s.push_str(&format!(
                "backup: {}\n",
                super::esc(&b.display().to_string())
            ));
        }
        for a in &report.applied {
            s.push_str(&format!("done:   {}\n", super::esc(a)));
        }
        s.push_str(&format!(
            "\n{} steps applied, {} left as instructions. After applying:\n\n",
            report.applied.len(),
            report.manual
        ));
        s.push_str(&render::plan_text(&remaining));
        super::out(&s);
    }
    Ok(0)
}

/// Output formats of `ccetrust diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DiffFormat {
    /// For a terminal.
    Text,
    /// The versioned JSON document (docs/diff-schema.md).
    Json,
    /// For a change ticket: what this change fixed, what it broke.
    Markdown,
}

#[derive(Args, Debug)]
pub(crate) struct DiffArgs {
    /// Same as `--format json`.
    #[arg(long)]
    pub json: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// The earlier `ccetrust audit --json` document.
    pub old: PathBuf,
    /// The later one.
    pub new: PathBuf,
}

impl DiffArgs {
    pub fn json(&self) -> bool {
        self.json || self.format == DiffFormat::Json
    }
}

fn read_audit_json(path: &std::path::Path) -> Result<serde_json::Value, Error> {
    let bytes = crate::input::read(path, crate::input::InputKind::AuditJson)?;
    serde_json::from_slice(&bytes).map_err(|e| Error::Document {
        path: path.to_path_buf(),
        reason: format!("not JSON at line {}, column {}: {e}", e.line(), e.column()),
    })
}

/// `ccetrust diff`: exit 3 when the new audit has error findings the old one had not.
pub(crate) fn run_diff(args: &DiffArgs) -> Result<i32, Error> {
    let old = read_audit_json(&args.old)?;
    let new = read_audit_json(&args.new)?;
    let d = cce::diff::diff(&old, &new).map_err(|e| {
        let path = if e.which == "old" {
            &args.old
        } else {
            &args.new
        };
        Error::Document {
            path: path.clone(),
            reason: e.to_string(),
        }
    })?;
    match if args.json {
        DiffFormat::Json
    } else {
        args.format
    } {
        DiffFormat::Text => super::out(&d.text()),
        DiffFormat::Json => super::print_json(&d.json()),
        DiffFormat::Markdown => super::out(&d.markdown()),
    }
    Ok(if d.new_errors() > 0 { 3 } else { 0 })
}
