//! The command-line interface (feature `cli`). Each verb lives in its own module; this one
//! parses arguments, dispatches, and prints errors (as `{"error": {...}}` with `--json`).

use clap::{Parser, Subcommand};
use serde_json::json;

use crate::Error;

mod cce;
pub(crate) mod exit;
mod fetch;
mod inspect;
mod inspect_diff;
mod keystore;
mod limbo;
mod verify;

/// Certificates and trust for Cisco contact centers.
#[derive(Parser, Debug)]
#[command(name = "ccetrust", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print every certificate and CSR in the given files (DER, PEM, PKCS#7, .cer).
    Inspect(inspect::InspectArgs),
    /// Collect the certificate chain a live TLS server presents (trusting nothing).
    Fetch(fetch::FetchArgs),
    /// Certificate signing requests.
    Csr {
        #[command(subcommand)]
        command: inspect::CsrCommand,
    },
    /// Verify a certificate chain and name against trust anchors (browser or Java rules).
    Verify(verify::VerifyArgs),
    /// Run the x509-limbo conformance suite and write a results file (harness format).
    Limbo(limbo::LimboArgs),
    /// Keystores (JKS, JCEKS, PKCS#12, PEM): list, import, delete, rename, passwd, export, convert.
    Keystore {
        #[command(subcommand)]
        command: keystore::KeystoreCommand,
    },
    /// Audit a contact-center inventory: who must trust whom, what is there, findings and plan.
    Audit(cce::AuditArgs),
    /// The ordered steps that fix an inventory's findings (`--out DIR` writes the files).
    Plan(cce::PlanArgs),
    /// Carry out the plan's keystore steps (with backups), then audit again.
    Apply(cce::ApplyArgs),
    /// Compare two `audit --json` documents: findings new, resolved, unchanged (exit 3 on new errors).
    Diff(cce::DiffArgs),
}

impl Command {
    fn json(&self) -> bool {
        match self {
            Command::Inspect(a) => a.json,
            Command::Fetch(a) => a.json,
            Command::Csr { command } => command.json(),
            Command::Verify(a) => a.json,
            Command::Limbo(a) => a.json,
            Command::Keystore { command } => command.json(),
            Command::Audit(a) => a.json(),
            Command::Plan(a) => a.audit.json(),
            Command::Apply(a) => a.json,
            Command::Diff(a) => a.json(),
        }
    }
}

/// Runs the CLI with the process arguments; returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::USAGE
            } else {
                exit::YES
            };
            let _ = e.print();
            return code;
        }
    };
    let json = cli.command.json();
    let result = match cli.command {
        Command::Inspect(args) => inspect::run(&args).map(|()| exit::YES),
        Command::Csr { command } => inspect::run_csr(&command),
        Command::Verify(args) => verify::run(&args),
        Command::Limbo(args) => limbo::run(&args),
        Command::Keystore { command } => keystore::run(&command).map(|()| exit::YES),
        Command::Fetch(args) => fetch::run(&args).map(|()| exit::YES),
        Command::Audit(args) => cce::run_audit(&args),
        Command::Plan(args) => cce::run_plan(&args),
        Command::Apply(args) => cce::run_apply(&args),
        Command::Diff(args) => cce::run_diff(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            report_error(&e, json);
            exit::for_error(&e)
        }
    }
}

/// Prints an error: JSON on stdout with `--json`, otherwise a sentence on stderr.
pub(crate) fn report_error(e: &Error, json: bool) {
    if json {
        let v =
            json!({"error": {"kind": e.kind(), "message": e.to_string(), "offset": e.offset()}});
        out(&format!("{v}\n"));
    } else {
        // Errors quote aliases, paths and inventory values: shown, never sent raw.
        eprintln!("ccetrust: error: {}", esc(&e.to_string()));
    }
}

/// A value for a text printer: control characters escaped ([`crate::shell::escape_control`]),
/// so an ANSI escape in an alias, a subject or a file name is shown as `\u{1b}`.
pub(crate) fn esc(v: &str) -> std::borrow::Cow<'_, str> {
    crate::shell::escape_control(v)
}

/// Prints a JSON value, pretty.
pub(crate) fn print_json(v: &serde_json::Value) {
    out(&format!(
        "{}\n",
        serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string())
    ));
}

/// Writes to stdout; a closed pipe (`ccetrust … | head`) ends output quietly, not in a panic.
pub(crate) fn out(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush());
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// Every leaf of the command tree (each verb a script can run) takes `--json` (issue 13:
    /// "Every verb takes `--json`"). Walks `Cli::command()` so a new verb without it fails.
    #[test]
    fn every_leaf_command_takes_json() {
        fn walk(
            cmd: &clap::Command,
            path: &str,
            leaves: &mut Vec<String>,
            missing: &mut Vec<String>,
        ) {
            let here = format!("{path} {}", cmd.get_name());
            let subs: Vec<_> = cmd
                .get_subcommands()
                .filter(|c| c.get_name() != "help")
                .collect();
            if subs.is_empty() {
                leaves.push(here.clone());
                if !cmd.get_arguments().any(|a| a.get_long() == Some("json")) {
                    missing.push(here.clone());
                }
            }
            for s in subs {
                walk(s, &here, leaves, missing);
            }
        }
        let (mut leaves, mut missing) = (Vec::new(), Vec::new());
        walk(&super::Cli::command(), "", &mut leaves, &mut missing);
        assert!(leaves.len() >= 16, "the walk found the verbs: {leaves:?}");
        assert!(missing.is_empty(), "verbs without --json: {missing:?}");
    }
}
