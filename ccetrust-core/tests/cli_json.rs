//! `--json` on every verb (issue 13): the output of each verb run with `--json` is one valid
//! JSON document on stdout, holding the fields a script reads, and errors are
//! `{"error": {"kind", …}}`. (That every verb *takes* `--json` is checked by walking the
//! command tree, `cli::tests::every_leaf_command_takes_json`.)
#![cfg(feature = "cli")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

use std::path::Path;
use std::process::Command;

/// `(what, arguments, "@/" is a scratch folder; a JSON pointer that must exist in the output)`.
const CASES: &[(&str, &[&str], &str)] = &[
    (
        "inspect",
        &["inspect", "--json", "tests/data/certs/ec256.pem"],
        "/certificates/0/sha256",
    ),
    (
        "csr compare",
        &[
            "csr",
            "compare",
            "--json",
            "tests/data/certs/finesse.csr",
            "tests/data/certs/finesse.pem",
        ],
        "",
    ),
    (
        "verify",
        &[
            "verify",
            "--json",
            "--trust",
            "tests/data/chain/ec-root.pem",
            "tests/data/chain/ec-leaf.pem",
        ],
        "/valid",
    ),
    (
        "apply --dry-run",
        &[
            "apply",
            "--json",
            "--dry-run",
            "--offline",
            "examples/pcce-2k-lab/inventory.toml",
        ],
        "/steps",
    ),
    (
        "plan",
        &[
            "plan",
            "--json",
            "--offline",
            "examples/pcce-2k-lab/inventory.toml",
        ],
        "/plan",
    ),
    (
        "keystore list",
        &[
            "keystore",
            "list",
            "--json",
            "--storepass-env",
            "CCE_PW",
            "tests/data/keystore/ece.jks",
        ],
        "/entries",
    ),
    (
        "keystore export",
        &[
            "keystore",
            "export",
            "--json",
            "--storepass-env",
            "CCE_PW",
            "--alias",
            "example root ca",
            "tests/data/keystore/ece.jks",
        ],
        "/certificates/0/pem",
    ),
    (
        "keystore export --chain --out",
        &[
            "keystore",
            "export",
            "--json",
            "--chain",
            "--storepass-env",
            "CCE_PW",
            "--alias",
            "example root ca",
            "--out",
            "@/ca.pem",
            "tests/data/keystore/ece.jks",
        ],
        "/out",
    ),
    (
        "limbo --output",
        &[
            "limbo",
            "--json",
            "--output",
            "@/limbo-out.json",
            "@/limbo.json",
        ],
        "/cases",
    ),
    (
        "an error",
        &["inspect", "--json", "tests/data/certs/no-such.pem"],
        "/error/kind",
    ),
    (
        "a keystore error",
        &[
            "keystore",
            "export",
            "--json",
            "--storepass-env",
            "CCE_PW",
            "--alias",
            "nobody",
            "tests/data/keystore/ece.jks",
        ],
        "/error/kind",
    ),
];

#[test]
fn every_verb_prints_one_json_document() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = std::env::temp_dir().join(format!("ccetrust-cli-json-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("limbo.json"), r#"{"testcases": []}"#).unwrap();
    let mut wrong = Vec::new();
    for (what, args, pointer) in CASES {
        let args: Vec<String> = args
            .iter()
            .map(|a| a.replace("@/", &format!("{}/", dir.display())))
            .collect();
        let out = Command::new(env!("CARGO_BIN_EXE_ccetrust"))
            .args(&args)
            .env("CCE_PW", "changeit")
            .current_dir(&root)
            .output()
            .unwrap();
        match serde_json::from_slice::<serde_json::Value>(&out.stdout) {
            Ok(v) if v.pointer(pointer).is_some() => {}
            Ok(v) => wrong.push(format!("{what}: no {pointer} in {v}")),
            Err(e) => wrong.push(format!(
                "{what}: not JSON ({e}): {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )),
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
