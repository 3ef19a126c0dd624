//! The operations verbs as a user runs them: `ccetrust diff` of the example lab before and
//! after `apply` on a copy (what the change fixed is exactly what apply did), its exit code and
//! formats; `ccetrust inspect --diff` on a certificate and its renewal (fixtures made by
//! openssl, `tests/data/ops/gen.sh`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

mod cce_support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use cce_support::*;
use serde_json::Value;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ccetrust"))
        .args(args)
        .output()
        .unwrap()
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

fn json_of(out: &Output) -> Value {
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn audit_to(inv: &Path, file: &Path) -> Value {
    let out = run(&[
        "audit",
        "--json",
        "--at",
        &at("pcce-2k-lab"),
        inv.to_str().unwrap(),
    ]);
    std::fs::write(file, &out.stdout).unwrap();
    json_of(&out)
}

/// A finding's identity as the diff documents it (code, host, relationship, certificate).
fn id(f: &Value) -> String {
    [
        "code",
        "host",
        "importer",
        "exporter",
        "service",
        "requirement",
        "alias",
        "sha256",
    ]
    .iter()
    .map(|k| f[*k].as_str().unwrap_or("").to_string())
    .collect::<Vec<_>>()
    .join("|")
}

/// The alias between backquotes of an apply line (`imported `X` into …`).
fn applied_aliases(apply: &Value, verb: &str) -> BTreeSet<String> {
    apply["applied"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| {
            let l = l.as_str().unwrap();
            let rest = l.split_once(&format!("{verb} `"))?.1;
            Some(rest.split_once('`')?.0.to_ascii_lowercase())
        })
        .collect()
}

#[test]
fn diff_of_the_lab_before_and_after_apply_resolves_exactly_what_apply_fixed() {
    let dir = temp_dir("ops-diff");
    copy_dir(&example("pcce-2k-lab"), &dir);
    let inv = dir.join("inventory.toml");
    let (old_file, new_file) = (dir.join("before.json"), dir.join("after.json"));
    let before = audit_to(&inv, &old_file);
    let apply = json_of(&run(&[
        "apply",
        "--json",
        "--at",
        &at("pcce-2k-lab"),
        inv.to_str().unwrap(),
    ]));
    let after = audit_to(&inv, &new_file);
    let out = run(&[
        "diff",
        "--json",
        old_file.to_str().unwrap(),
        new_file.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "apply breaks nothing: no new error, exit 0"
    );
    let d = json_of(&out);
    assert_eq!(d["schema"], "ccetrust.cce-diff/1");
    assert_eq!(d["findings"]["new"].as_array().unwrap().len(), 0);
    // Resolved = the findings of the old audit that the new one no longer has, compared here
    // on the whole finding object, independently of the diff's matching.
    let after_ids: Vec<String> = after["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(id)
        .collect();
    let gone: BTreeSet<String> = before["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !after["findings"].as_array().unwrap().contains(f))
        .map(id)
        .collect();
    let resolved: BTreeSet<String> = d["findings"]["resolved"]
        .as_array()
        .unwrap()
        .iter()
        .map(id)
        .collect();
    assert!(!resolved.is_empty());
    assert_eq!(resolved, gone);
    assert_eq!(
        d["findings"]["unchanged"].as_array().unwrap().len(),
        after_ids.len()
    );
    // What apply did, entry by entry: every import is an entry added, every delete one removed.
    let alias_set = |k: &str| -> BTreeSet<String> {
        d[k].as_array()
            .unwrap()
            .iter()
            .map(|e| e["alias"].as_str().unwrap().to_ascii_lowercase())
            .collect()
    };
    // A regenerated key entry (cvpb's expired CVP certificates) is an entry added too.
    let mut added = applied_aliases(&apply, "imported");
    added.extend(applied_aliases(&apply, "regenerated"));
    assert_eq!(alias_set("store_entries_added"), added);
    // A regeneration and the import of its new certificate replace what the alias held: the
    // old entry is one removed.
    let mut removed = applied_aliases(&apply, "deleted");
    removed.extend(applied_aliases(&apply, "regenerated"));
    removed.extend(applied_aliases(&apply, "imported").into_iter().filter(|a| {
        apply["applied"].as_array().unwrap().iter().any(|l| {
            l.as_str()
                .unwrap()
                .to_ascii_lowercase()
                .contains(&format!("imported `{a}`, the new"))
        })
    }));
    assert_eq!(alias_set("store_entries_removed"), removed);
    // Each resolved untrusted relationship is one the diff shows becoming trusted.
    let became_trusted: BTreeSet<(String, String, String)> = d["relationships_changed"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["new_status"] == "trusted")
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap().to_string();
            (s("importer"), s("exporter"), s("service"))
        })
        .collect();
    for f in d["findings"]["resolved"].as_array().unwrap() {
        if f["code"] == "chain.untrusted" {
            let s = |k: &str| f[k].as_str().unwrap().to_string();
            assert!(
                became_trusted.contains(&(s("importer"), s("exporter"), s("service"))),
                "{f}"
            );
        }
    }
    // The only certificates a server presents anew are the ones apply regenerated.
    let replaced = d["certificates_replaced"].as_array().unwrap();
    let regenerated = apply["regenerated"].as_array().unwrap();
    assert_eq!(replaced.len(), regenerated.len(), "{replaced:?}");
    for r in regenerated {
        assert!(
            replaced
                .iter()
                .any(|c| c.to_string().contains(r["sha256"].as_str().unwrap())),
            "{replaced:?} {r}"
        );
    }

    // The other way round, the change "broke" what it fixed: new errors, exit 3.
    let back = run(&[
        "diff",
        new_file.to_str().unwrap(),
        old_file.to_str().unwrap(),
    ]);
    assert_eq!(back.status.code(), Some(3));
    let text = String::from_utf8(back.stdout).unwrap();
    assert!(text.contains("NEW FINDINGS ("), "{text}");
    let md = run(&[
        "diff",
        "--format",
        "markdown",
        old_file.to_str().unwrap(),
        new_file.to_str().unwrap(),
    ]);
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(
        md.contains("## What this change fixed: resolved findings ("),
        "{md}"
    );
    assert!(md.contains("`chain.untrusted`"), "{md}");
}

#[test]
fn diff_sees_a_replaced_certificate_and_refuses_what_is_not_an_audit() {
    let dir = temp_dir("ops-diff-replaced");
    let doc = json_of(&run(&[
        "audit",
        "--json",
        "--at",
        &at("pcce-2k-lab"),
        example("pcce-2k-lab")
            .join("inventory.toml")
            .to_str()
            .unwrap(),
    ]));
    let mut renewed = doc.clone();
    renewed["hosts"][0]["evidence"][0]["chain_sha256"][0] = Value::from("00".repeat(32));
    let (a, b) = (dir.join("a.json"), dir.join("b.json"));
    std::fs::write(&a, doc.to_string()).unwrap();
    std::fs::write(&b, renewed.to_string()).unwrap();
    let d = json_of(&run(&[
        "diff",
        "--json",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ]));
    let r = &d["certificates_replaced"];
    assert_eq!(r.as_array().unwrap().len(), 1, "{r}");
    assert_eq!(r[0]["host"], doc["hosts"][0]["fqdn"]);
    assert_eq!(r[0]["new_sha256"], Value::from("00".repeat(32)));

    std::fs::write(&b, r#"{"schema": "something-else"}"#).unwrap();
    let out = run(&["diff", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("b.json") && err.contains("ccetrust.cce-audit/1"),
        "{err}"
    );
    std::fs::write(&b, "{\n  \"schema\": ").unwrap();
    let out = run(&["diff", a.to_str().unwrap(), b.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2"), "{err}");
}

fn ops_data(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data/ops")
        .join(name)
        .display()
        .to_string()
}

/// A renewal (gen.sh: new key, one more SAN, clientAuth added, new validity, same subject and
/// issuer) is shown field by field, and the CA the two chains share is identical.
#[test]
fn inspect_diff_shows_what_a_renewal_changed_and_kept() {
    let out = run(&[
        "inspect",
        "--diff",
        "--json",
        &ops_data("chain-cvpa-2025.pem"),
        &ops_data("chain-cvpa-2026.pem"),
    ]);
    let d = json_of(&out);
    let pairs = d["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 2, "leaf with leaf, CA with CA");
    let changed: BTreeSet<&str> = pairs[0]["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    let kept: BTreeSet<&str> = pairs[0]["kept"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    for f in [
        "public_key_sha256",
        "san",
        "extended_key_usage",
        "not_before",
        "not_after",
        "serial",
    ] {
        assert!(changed.contains(f), "{f} changed: {changed:?}");
    }
    for f in [
        "subject",
        "issuer",
        "public_key",
        "key_usage",
        "authority_key_id",
    ] {
        assert!(kept.contains(f), "{f} kept: {kept:?}");
    }
    let san = pairs[0]["changed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "san")
        .unwrap();
    assert_eq!(
        san["b"]["dns"],
        serde_json::json!(["cvpa.lab.example.com", "cvpa"])
    );
    assert_eq!(pairs[1]["identical"], true);
    assert!(pairs[1]["changed"].as_array().unwrap().is_empty());

    // A leaf against its chain: the CA is listed as only in B.
    let d = json_of(&run(&[
        "inspect",
        "--diff",
        "--json",
        &ops_data("cvpa-2025.pem"),
        &ops_data("chain-cvpa-2026.pem"),
    ]));
    assert_eq!(d["only_in_b"].as_array().unwrap().len(), 1);
    let text = String::from_utf8(
        run(&[
            "inspect",
            "--diff",
            &ops_data("cvpa-2025.pem"),
            &ops_data("cvpa-2026.pem"),
        ])
        .stdout,
    )
    .unwrap();
    assert!(text.contains("CHANGED  extended key usage"), "{text}");
    assert!(text.contains("kept     issuer"), "{text}");
    let out = run(&["inspect", "--diff", &ops_data("cvpa-2025.pem")]);
    assert_eq!(out.status.code(), Some(2)); // a usage error (the exit table)
    assert!(String::from_utf8_lossy(&out.stderr).contains("two files"));
}

/// A store alias made of markup and of the exposition format's own syntax (a quote, a
/// backslash, a line feed) is shown as text in the HTML page and escaped in the Prometheus
/// label (text format 0.0.4: `\\`, `\"`, `\n`), never ending a sample or opening an element.
/// Unix only: Windows file names cannot hold these characters.
#[cfg(unix)]
#[test]
fn hostile_aliases_are_escaped_in_html_and_prometheus() {
    let alias = "<img src=x onerror=alert(1)> \"q\" back\\slash\nline";
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
    let page = |format: &str| {
        let out = run(&[
            "audit",
            "--format",
            format,
            "--at",
            &when,
            inv.to_str().unwrap(),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let html = page("html");
    assert!(!html.contains("<img"), "raw markup in the page");
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt; &quot;q&quot;"),
        "{html}"
    );
    let prom = page("prometheus");
    for line in prom.lines() {
        assert!(
            line.starts_with("# ") || line.starts_with("ccetrust_"),
            "forged line: {line:?}"
        );
    }
    assert!(
        prom.contains(r#"alias="<img src=x onerror=alert(1)> \"q\" back\\slash\nline""#),
        "{prom}"
    );
}

/// The page without a browser (the Chromium check is `tests/ci.d/58-ops.sh`): one matrix mark
/// per relationship of the JSON, nothing the page would fetch.
#[test]
fn html_report_has_one_mark_per_relationship_and_nothing_to_fetch() {
    for ex in ["pcce-2k-lab", "ca-signed", "pcce-ca-mtls", "uccx"] {
        let inv = example(ex).join("inventory.toml");
        let html = run(&[
            "audit",
            "--format",
            "html",
            "--at",
            &at(ex),
            inv.to_str().unwrap(),
        ]);
        let html = String::from_utf8(html.stdout).unwrap();
        let doc = json_of(&run(&[
            "audit",
            "--json",
            "--at",
            &at(ex),
            inv.to_str().unwrap(),
        ]));
        let start = html.find("id=\"matrix\"").unwrap();
        let end = start + html[start..].find("</table>").unwrap();
        let matrix = &html[start..end];
        let edges = doc["edges"].as_array().unwrap();
        assert_eq!(
            matrix.matches(" data-status=\"").count(),
            edges.len(),
            "{ex}"
        );
        for st in ["trusted", "untrusted", "failed", "unknown"] {
            let want = edges.iter().filter(|e| e["status"] == st).count();
            assert_eq!(
                matrix.matches(&format!(" data-status=\"{st}\"")).count(),
                want,
                "{ex} {st}"
            );
        }
        // URLs in the text (an OS Administration page in the plan) are text, never fetched.
        for forbidden in [" src=", " href=", "url(", "@import", "<link", "<iframe"] {
            assert!(!html.contains(forbidden), "{ex}: {forbidden}");
        }
        assert!(html.contains("Content-Security-Policy\" content=\"default-src 'none'"));
        // Findings grouped as the text report groups them: as many blocks as its entries.
        let text = run(&["audit", "--at", &at(ex), inv.to_str().unwrap()]);
        let groups = String::from_utf8(text.stdout)
            .unwrap()
            .lines()
            .filter(|l| {
                ["ERROR ", "WARNING ", "INFO "]
                    .iter()
                    .any(|p| l.starts_with(p))
            })
            .count();
        assert!(groups > 0, "{ex}");
        assert_eq!(
            html.matches("<div class=\"finding ").count(),
            groups,
            "{ex}"
        );
    }
}
