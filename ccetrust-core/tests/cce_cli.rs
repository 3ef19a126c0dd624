//! The `audit`, `plan` and `apply` verbs as a user runs them on the examples: every output
//! format, the JSON schema's fields, the DOT graph through Graphviz's `dot` (skipped with a
//! printed reason when it is not installed), exit codes and positioned inventory errors.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

mod cce_support;
mod tool_support;

use std::path::PathBuf;
use std::process::{Command, Output};

use cce_support::*;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ccetrust"))
}

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name)
}

/// A day after the example was generated: stable findings whatever today's date.
fn at(name: &str) -> String {
    let t = std::fs::read_to_string(example(name).join("GENERATED_AT")).unwrap();
    ccetrust::Timestamp::parse_rfc3339(t.trim())
        .unwrap()
        .plus_days(1)
        .to_rfc3339()
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn inventory(name: &str) -> String {
    example(name).join("inventory.toml").display().to_string()
}

#[test]
fn audit_text_names_every_problem_of_the_pcce_lab() {
    let inv = inventory("pcce-2k-lab");
    let out = run(&["audit", "--at", &at("pcce-2k-lab"), &inv]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "16 hosts",
        "chain.untrusted",
        "validity.expired",
        "name.mismatch",
        "name.cn-not-in-san",
        "store.duplicate",
        "store.stale-alias",
        "PLAN:",
        "-storetype JCEKS",
        "utils system restart",
    ] {
        assert!(text.contains(needle), "missing {needle}");
    }
}

#[test]
fn audit_json_follows_the_documented_schema() {
    let out = run(&[
        "audit",
        "--json",
        "--at",
        &at("pcce-2k-lab"),
        &inventory("pcce-2k-lab"),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema"], "ccetrust.cce-audit/1");
    for key in [
        "deployment",
        "at",
        "expiring_days",
        "summary",
        "hosts",
        "edges",
        "findings",
        "plan",
    ] {
        assert!(!v[key].is_null(), "{key}");
    }
    let f = &v["findings"][0];
    for key in [
        "code",
        "severity",
        "host",
        "importer",
        "exporter",
        "service",
        "store",
        "alias",
        "sha256",
        "subject",
        "requirement",
        "message",
        "remediation",
    ] {
        assert!(f.get(key).is_some(), "finding.{key}");
    }
    let e = &v["edges"][0];
    for key in [
        "requirement",
        "importer",
        "exporter",
        "service",
        "port",
        "store",
        "alias",
        "status",
        "code",
        "reason",
    ] {
        assert!(e.get(key).is_some(), "edge.{key}");
    }
    let s = &v["plan"][0]["steps"][0];
    for key in [
        "kind",
        "title",
        "commands",
        "fixes",
        "executable",
        "file",
        "certificate_pem",
    ] {
        assert!(s.get(key).is_some(), "step.{key}");
    }
    // The summary agrees with the lists.
    assert_eq!(
        v["summary"]["requirements"],
        v["edges"].as_array().unwrap().len()
    );
    let errors = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .count();
    assert_eq!(v["summary"]["errors"], errors);
}

#[test]
fn markdown_is_a_change_ticket() {
    let out = run(&[
        "audit",
        "--format",
        "markdown",
        "--at",
        &at("ca-signed"),
        &inventory("ca-signed"),
    ]);
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.starts_with("# Certificate trust change: PCCE with CA-signed certificates"));
    assert!(md.contains("| severity | code | host | what | fix |"));
    assert!(md.contains("- [ ] Import root CA `corp-root-ca`"));
    assert!(md.contains("## Rollback"));
}

#[test]
fn dot_renders_with_graphviz() {
    let out = run(&[
        "audit",
        "--format",
        "dot",
        "--at",
        &at("pcce-2k-lab"),
        &inventory("pcce-2k-lab"),
    ]);
    let dot = String::from_utf8(out.stdout).unwrap();
    assert!(dot.starts_with("digraph trust {"));
    assert!(dot.contains("color=red"), "untrusted edges are red");
    assert!(
        dot.contains("subgraph cluster_"),
        "VOS clusters are grouped"
    );
    let Ok(mut child) = Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    else {
        tool_support::missing(
            "graphviz `dot` is not on PATH (apt-get install graphviz), needed for the render check",
        );
        return;
    };
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(dot.as_bytes())
        .unwrap();
    let r = child.wait_with_output().unwrap();
    assert!(
        r.status.success(),
        "dot: {}",
        String::from_utf8_lossy(&r.stderr)
    );
    let svg = String::from_utf8(r.stdout).unwrap();
    assert!(svg.contains("<svg") && svg.contains("awa.lab.example.com"));
}

#[test]
fn fail_on_sets_the_exit_code() {
    let inv = inventory("uccx");
    let a = at("uccx");
    assert_eq!(run(&["audit", "--at", &a, &inv]).status.code(), Some(0));
    assert_eq!(
        run(&["audit", "--fail-on", "error", "--at", &a, &inv])
            .status
            .code(),
        Some(3)
    );
}

#[test]
fn plan_out_writes_the_files_its_commands_name() {
    let dir = temp_dir("plan-out");
    let out = run(&[
        "plan",
        "--at",
        &at("pcce-2k-lab"),
        "--out",
        dir.to_str().unwrap(),
        &inventory("pcce-2k-lab"),
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("PLAN:"));
    let f = dir
        .join("awb.lab.example.com")
        .join("cvpa.lab.example.com.cer");
    let cert = ccetrust::load_certificates(&std::fs::read(&f).unwrap()).unwrap();
    assert_eq!(
        cert[0].common_name().as_deref(),
        Some("cvpa.lab.example.com")
    );
    // openssl reads what was written.
    if let Ok(o) = Command::new("openssl")
        .args(["x509", "-noout", "-subject", "-in"])
        .arg(&f)
        .output()
    {
        assert!(String::from_utf8_lossy(&o.stdout).contains("cvpa.lab.example.com"));
    } else {
        tool_support::missing("`openssl` is not on PATH, needed for its read-back");
    }
}

#[test]
fn apply_dry_run_changes_nothing_and_apply_backs_up() {
    let dir = temp_dir("apply");
    copy_dir(&example("pcce-2k-lab"), &dir);
    let inv = dir.join("inventory.toml");
    let before = std::fs::read(dir.join("stores/awb/cacerts")).unwrap();
    let out = run(&[
        "apply",
        "--dry-run",
        "--at",
        &at("pcce-2k-lab"),
        inv.to_str().unwrap(),
    ]);
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("awb.lab.example.com: Import certificate `cvpa.lab.example.com`"));
    assert_eq!(
        std::fs::read(dir.join("stores/awb/cacerts")).unwrap(),
        before
    );
    let out = run(&["apply", "--at", &at("pcce-2k-lab"), inv.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("backup: "), "{text}");
    let backups: Vec<_> = std::fs::read_dir(dir.join("stores/awb"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".bak"))
        .collect();
    assert_eq!(backups.len(), 1);
    // One backup scheme for every command and apply: NAME.YYYYMMDDTHHMMSSZ.bak (UTC).
    let name = backups[0].file_name().to_string_lossy().into_owned();
    let stamp = name
        .strip_prefix("cacerts.")
        .and_then(|s| s.strip_suffix("Z.bak"))
        .unwrap_or_else(|| panic!("{name}"));
    assert!(stamp.len() == 15 && stamp.as_bytes()[8] == b'T', "{name}");
    assert_eq!(
        std::fs::read(backups[0].path()).unwrap(),
        before,
        "the backup is the store as it was"
    );
}

#[test]
fn inventory_errors_point_at_line_and_column() {
    let dir = temp_dir("bad-inv");
    let p = dir.join("inventory.toml");
    std::fs::write(&p, "[deployment]\nproduct = \"pcce\"\nversion = \"12.5\"\n\n[[host]]\nfqdn = \"a.example.com\"\nroles = [\"aw\", \"rogerr\"]\n").unwrap();
    let out = run(&["audit", "--json", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["kind"], "inventory");
    let msg = v["error"]["message"].as_str().unwrap();
    assert!(
        msg.contains("line 7, column 16: unknown role `rogerr`"),
        "{msg}"
    );
    let out = run(&["audit", "--at", "yesterday", &inventory("uccx")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--at yesterday: expected RFC 3339"));
}

/// On the CA-signed example, the JSON keeps one `chain.untrusted` finding per certificate a
/// store fails to trust; the text report shows each store's findings that share one fix once,
/// marked ×N, and names every other exporter and service.
#[test]
fn text_groups_the_untrusted_findings_of_one_store() {
    let inv = inventory("ca-signed");
    let when = at("ca-signed");
    let out = run(&["audit", "--json", "--at", &when, &inv]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let out = run(&["audit", "--at", &when, &inv]);
    let text = String::from_utf8(out.stdout).unwrap();
    let mut groups: std::collections::BTreeMap<(String, String, String), Vec<String>> =
        Default::default();
    for f in doc["findings"].as_array().unwrap() {
        if f["code"] == "chain.untrusted" {
            groups
                .entry((
                    f["host"].as_str().unwrap().to_string(),
                    f["store"].as_str().unwrap_or("").to_string(),
                    f["remediation"].as_str().unwrap_or("").to_string(),
                ))
                .or_default()
                .push(format!(
                    "{} {}",
                    f["exporter"].as_str().unwrap(),
                    f["service"].as_str().unwrap()
                ));
        }
    }
    let big = groups.iter().filter(|(_, v)| v.len() > 1).count();
    assert!(
        big >= 1,
        "the example has a store lacking its CA for several servers"
    );
    for ((host, _, _), members) in &groups {
        if members.len() > 1 {
            let header = format!("chain.untrusted ×{}", members.len());
            let at = text
                .lines()
                .position(|l| l.contains(&header) && l.trim_end().ends_with(host.as_str()))
                .unwrap_or_else(|| panic!("no '{header}' line for {host}:\n{text}"));
            let block: String = text.lines().skip(at).take(5).collect::<Vec<_>>().join("\n");
            for m in &members[1..] {
                assert!(block.contains(m.as_str()), "{m} missing from\n{block}");
            }
        }
    }
    // Each group is printed once.
    assert_eq!(
        text.matches("chain.untrusted").count(),
        groups.len(),
        "{text}"
    );
}

/// A server that sends its intermediate, to a store that lacks only the root: the finding
/// names the root as what is missing (not "the issuing CA", which the server sent), and the
/// fix imports the root alone.
#[test]
fn untrusted_names_the_missing_root_when_the_intermediate_is_sent() {
    let inv = inventory("ca-signed");
    let out = run(&["audit", "--json", "--at", &at("ca-signed"), &inv]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let untrusted: Vec<&serde_json::Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "chain.untrusted")
        .collect();
    assert!(!untrusted.is_empty());
    for f in untrusted {
        let msg = f["message"].as_str().unwrap();
        assert!(
            msg.contains("lacks the root CA") && msg.contains("Corp Root CA"),
            "{msg}"
        );
        assert!(!msg.contains("lacks the issuing CA"), "{msg}");
        let remediation = f["remediation"].as_str().unwrap();
        assert!(
            remediation.contains("`corp-root-ca`") && !remediation.contains("issuing-ca"),
            "{remediation}"
        );
    }
}

/// `docs/audit-schema.md` and what the CLI prints name the same fields: every key of
/// `audit --json`, `plan --json`, `apply --json` and an error document is documented, and
/// every documented key is printed (those of a chain fetched from a live server are checked
/// against real servers in cce_fetch.rs). The keys are read from the document, not copied.
#[test]
fn the_schema_document_and_the_json_name_the_same_fields() {
    use cce_support::schema;
    use std::collections::BTreeSet;
    // The PCCE lab plus a fetched PG whose ports refuse: `unreachable` is filled in.
    let dir = temp_dir("schema");
    copy_dir(&example("pcce-2k-lab"), &dir);
    let dead = {
        let l = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
        l.local_addr().unwrap().port()
    };
    let inv = dir.join("inventory.toml");
    let mut text = std::fs::read_to_string(&inv).unwrap();
    text.push_str(&format!(
        "\n[[host]]\nfqdn = \"pgc.lab.example.com\"\nroles = [\"pg\"]\nfetch = true\naddress = \"127.0.0.1\"\nports = {{ iis = {dead}, dfp = {dead} }}\n"
    ));
    std::fs::write(&inv, text).unwrap();
    let inv = inv.to_str().unwrap();
    let when = at("pcce-2k-lab");
    let json = |args: &[&str]| -> serde_json::Value {
        let out = run(args);
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stderr)))
    };
    let fetch = ["--fetch-timeout", "5", "--at", &when, inv];
    let audit = json(&[&["audit", "--json"][..], &fetch].concat());
    assert!(
        audit["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["unreachable"].is_object()),
        "the refused port is in the document"
    );
    let plan = json(&[&["plan", "--json"][..], &fetch].concat());
    let apply = json(&[&["apply", "--json"][..], &fetch].concat());
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "[deployment]\nproduct = \"pcce\"\n").unwrap();
    let error = json(&["audit", "--json", bad.to_str().unwrap()]);

    // The other documents, as the prose sketches them.
    let plan_keys = schema::prose_top_keys("`ccetrust plan --json` prints");
    let apply_keys = schema::prose_top_keys("`ccetrust apply --json` prints");
    let error_keys: BTreeSet<String> =
        schema::sketch_keys(schema::prose_sketch("Errors are").as_str())
            .into_iter()
            .map(|(_, k)| k)
            .collect();
    assert_eq!(schema::top_keys(&plan), plan_keys);
    assert_eq!(schema::top_keys(&apply), apply_keys);
    assert_eq!(schema::top_keys(&audit), schema::top_keys(&apply["after"]));
    let mut printed_error = BTreeSet::new();
    schema::json_keys(&error, &mut printed_error);
    assert_eq!(printed_error, error_keys);

    let mut documented = schema::doc_keys();
    assert!(documented.len() > 40, "{documented:?}");
    documented.extend(plan_keys);
    documented.extend(apply_keys);
    // `regenerated`'s objects, as the apply sketch names them.
    documented.extend(
        schema::sketch_keys(&schema::prose_sketch("`ccetrust apply --json` prints"))
            .into_iter()
            .map(|(_, k)| k),
    );
    let mut printed = BTreeSet::new();
    for doc in [&audit, &plan, &apply] {
        schema::json_keys(doc, &mut printed);
    }
    for ex in ["ca-signed", "uccx"] {
        let doc = json(&["audit", "--json", "--at", &at(ex), &inventory(ex)]);
        schema::json_keys(&doc, &mut printed);
    }
    let undocumented: Vec<_> = printed.difference(&documented).collect();
    assert!(
        undocumented.is_empty(),
        "printed but not in docs/audit-schema.md: {undocumented:?}"
    );
    let unprinted: Vec<_> = documented
        .difference(&printed)
        .filter(|k| !schema::FETCHED_ONLY.contains(&k.as_str()))
        .collect();
    assert!(
        unprinted.is_empty(),
        "in docs/audit-schema.md but never printed: {unprinted:?}"
    );
}

/// A store password from an environment variable (`password_env`) opens the keystore as the
/// password file does (same findings); an unset variable is an error naming the variable and
/// the store; a wrong one says so; the password is printed nowhere.
#[test]
fn store_password_from_an_environment_variable() {
    let dir = temp_dir("password-env");
    copy_dir(&example("pcce-2k-lab"), &dir);
    let inv = dir.join("inventory.toml");
    let password = std::fs::read_to_string(dir.join("stores/eceapp/mydomain.jks.password"))
        .unwrap()
        .trim()
        .to_string();
    let when = at("pcce-2k-lab");
    let findings = |out: &Output| -> Vec<(String, String, String)> {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["code"].to_string(),
                    f["host"].to_string(),
                    f["sha256"].to_string(),
                )
            })
            .collect()
    };
    let with_file = findings(&run(&[
        "audit",
        "--json",
        "--at",
        &when,
        inv.to_str().unwrap(),
    ]));
    let text = std::fs::read_to_string(&inv).unwrap();
    let from_file = "password_file = \"stores/eceapp/mydomain.jks.password\"";
    assert!(text.contains(from_file));
    std::fs::write(
        &inv,
        text.replace(from_file, "password_env = \"CCETRUST_TEST_ECE_LDAPS_PW\""),
    )
    .unwrap();
    let audit_env = |value: Option<&str>| {
        let mut c = bin();
        c.args(["audit", "--json", "--at", &when, inv.to_str().unwrap()]);
        c.env_remove("CCETRUST_TEST_ECE_LDAPS_PW");
        if let Some(v) = value {
            c.env("CCETRUST_TEST_ECE_LDAPS_PW", v);
        }
        c.output().unwrap()
    };
    let with_env = findings(&audit_env(Some(&password)));
    assert_eq!(with_env, with_file);
    // The ECE LDAPS store was read: its missing root is a finding.
    assert!(with_env
        .iter()
        .any(|(c, h, _)| c == "\"chain.untrusted\"" && h == "\"eceapp.lab.example.com\""));

    // Without the variable, or with a wrong password, the store cannot be read: the audit
    // goes on and says so on that host (evidence.unreadable), never with the secret.
    let unreadable = |out: &Output| -> String {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let u: Vec<_> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "evidence.unreadable" && f["host"] == "eceapp.lab.example.com")
            .collect();
        assert_eq!(u.len(), 1, "{v:#}");
        u[0]["message"].as_str().unwrap().to_string()
    };
    let msg = unreadable(&audit_env(None));
    assert!(
        msg.contains("CCETRUST_TEST_ECE_LDAPS_PW") && msg.contains("mydomain.jks"),
        "{msg}"
    );
    let all = unreadable(&audit_env(Some("not-the-password")));
    assert!(all.contains("wrong password"), "{all}");
    assert!(!all.contains("not-the-password") && !all.contains(&password));
}

/// Every TOML block of docs/inventory.md is an inventory the parser accepts (a `[[host]]`
/// snippet under a minimal `[deployment]`), and the documentation and `examples/` together
/// show each product the inventory accepts.
#[test]
fn the_inventory_documentation_parses_and_shows_each_product() {
    let doc_path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/inventory.md");
    let doc = std::fs::read_to_string(&doc_path).unwrap();
    let mut products = std::collections::BTreeSet::new();
    let mut blocks = 0;
    for block in doc.split("```toml\n").skip(1) {
        let text = block.split("```").next().unwrap();
        let full = if text.contains("[deployment]") {
            text.to_string()
        } else {
            format!("[deployment]\nproduct = \"pcce\"\nversion = \"12.5\"\n\n{text}")
        };
        let inv = ccetrust::cce::Inventory::parse(&full, std::path::Path::new("."))
            .unwrap_or_else(|e| panic!("docs/inventory.md block {blocks}: {e}\n{text}"));
        if text.contains("[deployment]") {
            products.insert(inv.product.key());
        }
        if inv.product.key() == "ucce" {
            // What its comment says: system ID 2 puts the CTI server on 44030.
            let pg = inv
                .hosts
                .iter()
                .find(|h| h.fqdn.starts_with("pga."))
                .unwrap();
            assert_eq!(
                pg.port(ccetrust::cce::Service::CtiSecure, inv.system_id),
                44030
            );
        }
        blocks += 1;
    }
    assert!(blocks >= 2, "{blocks} TOML blocks");
    for ex in ["pcce-2k-lab", "ca-signed", "uccx"] {
        let inv = ccetrust::cce::Inventory::load(&example(ex).join("inventory.toml")).unwrap();
        products.insert(inv.product.key());
    }
    assert_eq!(
        products.into_iter().collect::<Vec<_>>(),
        ["pcce", "ucce", "uccx"]
    );
}

/// `--expiring-days` chooses the window: the UCCX example's five-year certificates are not
/// reported with the default 60 days, and are, each on its server, with a ten-year window.
#[test]
fn expiring_days_chooses_the_window() {
    let inv = inventory("uccx");
    let when = at("uccx");
    let expiring = |extra: &[&str]| -> (serde_json::Value, Vec<String>) {
        let out = run(&[
            &["audit", "--json", "--at", &when][..],
            extra,
            &[inv.as_str()],
        ]
        .concat());
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let hosts = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "validity.expiring")
            .map(|f| f["host"].as_str().unwrap().to_string())
            .collect();
        (v["expiring_days"].clone(), hosts)
    };
    let (days, hosts) = expiring(&[]);
    assert_eq!((days, hosts.len()), (serde_json::json!(60), 0));
    let (days, mut hosts) = expiring(&["--expiring-days", "3650"]);
    assert_eq!(days, 3650);
    hosts.sort();
    hosts.dedup();
    let v: serde_json::Value =
        serde_json::from_slice(&run(&["audit", "--json", "--at", &when, &inv]).stdout).unwrap();
    let presenting: Vec<String> = v["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| !h["evidence"].as_array().unwrap().is_empty())
        .map(|h| h["fqdn"].as_str().unwrap().to_string())
        .collect();
    assert!(!presenting.is_empty());
    for h in &presenting {
        assert!(
            hosts.contains(h),
            "{h} presents a certificate but is not reported: {hosts:?}"
        );
    }
}

/// Issue 12: an FQDN that is not an RFC 1123 host name is refused where it is written, before
/// anything is printed; the message shows the value with its control characters escaped.
#[test]
fn a_hostile_fqdn_is_refused_at_its_line_and_column() {
    // (fqdn as written in TOML, the message part)
    for (fqdn, part) in [
        (
            "x.example.com & calc & rem",
            "fqdn `x.example.com & calc & rem` is not an RFC 1123 host name",
        ),
        (
            r"x\u001b[2J.example.com",
            r"fqdn `x\u{1b}[2J.example.com` is not an RFC 1123 host name",
        ),
    ] {
        let dir = temp_dir("hostile-fqdn");
        let p = dir.join("inventory.toml");
        std::fs::write(
            &p,
            format!("[deployment]\nproduct = \"pcce\"\nversion = \"12.5\"\n\n[[host]]\nroles = [\"aw\"]\nfqdn = \"{fqdn}\"\n"),
        )
        .unwrap();
        for json in [true, false] {
            let mut args = vec!["plan", p.to_str().unwrap()];
            if json {
                args.insert(1, "--json");
            }
            let out = run(&args);
            assert_eq!(out.status.code(), Some(1));
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(!all.contains('\u{1b}'), "{all}");
            if json {
                let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
                assert_eq!(v["error"]["kind"], "inventory");
                assert!(v.get("plan").is_none(), "nothing but the error: {all}");
                let msg = v["error"]["message"].as_str().unwrap();
                assert!(msg.contains("line 7, column 8: "), "{msg}");
                // The message itself escapes the value: no ESC even inside the JSON string.
                assert!(msg.contains(part), "{msg}");
            } else {
                assert!(out.stdout.is_empty(), "no plan printed: {all}");
                assert!(all.contains(&format!("line 7, column 8: {part}")), "{all}");
            }
        }
    }
}

/// Issue 12: a store alias cmd.exe cannot quote never reaches a printed command, in any format;
/// the plan gives a manual step that says why, and the text shows control characters escaped.
/// (Folder stores name entries by file: these names are legal on Unix only.)
#[cfg(unix)]
#[test]
fn a_hostile_alias_gets_a_manual_step_not_a_command() {
    // (alias, why)
    for (alias, why) in [
        (
            "old rgra\" & calc.exe & \"x",
            "a double quote, which ends the quoted argument",
        ),
        ("rgra %COMSPEC% x", "a percent sign"),
        ("rgra\u{1b}[31m", "a control character"),
    ] {
        let mut lab = Lab::new("pcce", "12.5", "");
        lab.host(H {
            fqdn: "awa.t.example.com",
            roles: &["aw"],
            extra: "",
            presents: &[],
            stores: &[(
                "cacerts",
                "",
                &[
                    ("rgra.t.example.com_IIS", "ss/rgra.pem"),
                    (alias, "ss/rgra.pem"),
                ],
            )],
        });
        lab.host(H {
            fqdn: "rgra.t.example.com",
            roles: &["rogger"],
            extra: "",
            presents: &[("iis", "ss/rgra.pem")],
            stores: &[],
        });
        let inv = lab.write();
        let when = now().to_rfc3339();
        let json = run(&["plan", "--json", "--at", &when, inv.to_str().unwrap()]);
        let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        let steps: Vec<&serde_json::Value> = v["plan"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|h| h["steps"].as_array().unwrap())
            .collect();
        let delete = steps
            .iter()
            .find(|s| s["kind"] == "delete")
            .unwrap_or_else(|| panic!("{alias:?}: no delete step in {v:#}"));
        assert_eq!(delete["executable"], false, "{alias:?}");
        let commands: Vec<&str> = delete["commands"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        assert!(
            commands[0].starts_with(
                "No command is given: the alias holds a character cmd.exe cannot quote safely"
            ) && commands[0].contains(why),
            "{alias:?}: {commands:?}"
        );
        assert!(commands[1].contains("SHA-256 "), "{commands:?}");
        for s in &steps {
            for c in s["commands"].as_array().unwrap() {
                assert!(!c.as_str().unwrap().contains(alias), "{alias:?}: {c}");
            }
        }
        for format in ["text", "markdown"] {
            let out = run(&[
                "audit",
                "--format",
                format,
                "--at",
                &when,
                inv.to_str().unwrap(),
            ]);
            let text = String::from_utf8(out.stdout).unwrap();
            assert!(!text.contains('\u{1b}'), "{format}: raw ESC");
            assert!(text.contains("No command is given"), "{format}:\n{text}");
            if alias.contains('\u{1b}') {
                assert!(text.contains(r"rgra\u{1b}[31m"), "{format}:\n{text}");
            }
        }
    }
}
