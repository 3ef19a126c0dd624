//! Options before the positional arguments, for every verb (issue 13): a multi-value option
//! must not swallow the positional that follows it (`verify --trust root.pem leaf.pem`).
//! Every option takes one value per flag and is repeatable; the table runs each verb with
//! all its options first and the positionals last, and asserts clap accepted it (exit ≠ 2).
#![cfg(feature = "cli")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

use std::path::{Path, PathBuf};
use std::process::Command;

/// A scratch folder holding copies of the keystore fixtures the writing verbs change.
fn scratch(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = std::env::temp_dir().join(format!("ccetrust-cli-args-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for f in ["ece.jks", "keytool-modern.p12", "ca.pem"] {
        std::fs::copy(root.join("tests/data/keystore").join(f), dir.join(f)).unwrap();
    }
    dir
}

/// `(what, arguments; "@/" is the scratch folder, expected exit code)`. Paths are relative
/// to the repository root.
const CASES: &[(&str, &[&str], i32)] = &[
    (
        "inspect",
        &["inspect", "--json", "tests/data/certs/ec256.pem"],
        0,
    ),
    (
        "inspect --diff",
        &[
            "inspect",
            "--diff",
            "--json",
            "tests/data/chain/issuing.pem",
            "tests/data/chain/issuing-old.pem",
        ],
        0,
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
        3,
    ),
    (
        "verify --trust FILE LEAF",
        &[
            "verify",
            "--trust",
            "tests/data/chain/ec-root.pem",
            "tests/data/chain/ec-leaf.pem",
        ],
        0,
    ),
    (
        "verify --trust A --intermediates B LEAF",
        &[
            "verify",
            "--trust",
            "tests/data/chain/root.pem",
            "--intermediates",
            "tests/data/chain/issuing.pem",
            "--name",
            "ece.example.local",
            "tests/data/chain/ece.pem",
        ],
        0,
    ),
    (
        "verify --trust repeated, --intermediates repeated",
        &[
            "verify",
            "--trust",
            "tests/data/chain/ec-root.pem",
            "--trust",
            "tests/data/chain/root.pem",
            "--intermediates",
            "tests/data/chain/sub.pem",
            "--intermediates",
            "tests/data/chain/issuing.pem",
            "tests/data/chain/ece.pem",
        ],
        0,
    ),
    (
        "limbo",
        &[
            "limbo",
            "--only",
            "x",
            "--output",
            "@/limbo.json",
            "tests/data/no-such-limbo.json",
        ],
        1,
    ),
    (
        "fetch",
        &[
            "fetch",
            "--json",
            "--timeout",
            "1",
            "--sni",
            "a.example",
            "127.0.0.1:1",
        ],
        1,
    ),
    (
        "audit",
        &[
            "audit",
            "--offline",
            "--fail-on",
            "never",
            "--json",
            "examples/pcce-2k-lab/inventory.toml",
        ],
        0,
    ),
    (
        "plan",
        &[
            "plan",
            "--offline",
            "--out",
            "@/plan",
            "examples/pcce-2k-lab/inventory.toml",
        ],
        0,
    ),
    (
        "apply --dry-run",
        &[
            "apply",
            "--dry-run",
            "--offline",
            "--json",
            "examples/pcce-2k-lab/inventory.toml",
        ],
        0,
    ),
    (
        "diff",
        &["diff", "--format", "json", "@/a.json", "@/a.json"],
        0,
    ),
    (
        "keystore list",
        &[
            "keystore",
            "list",
            "--storepass-env",
            "CCE_PW",
            "--json",
            "@/ece.jks",
        ],
        0,
    ),
    (
        "keystore list -v --all-bags",
        &[
            "keystore",
            "list",
            "-v",
            "--all-bags",
            "--storepass",
            "changeit",
            "@/keytool-modern.p12",
        ],
        0,
    ),
    (
        "keystore export",
        &[
            "keystore",
            "export",
            "--storepass-env",
            "CCE_PW",
            "--alias",
            "example root ca",
            "@/ece.jks",
        ],
        0,
    ),
    (
        "keystore import",
        &[
            "keystore",
            "import",
            "--storepass-env",
            "CCE_PW",
            "--alias",
            "ca2",
            "--no-backup",
            "@/keytool-modern.p12",
            "@/ca.pem",
        ],
        0,
    ),
    (
        "keystore rename",
        &[
            "keystore",
            "rename",
            "--storepass-env",
            "CCE_PW",
            "--alias",
            "ad ldaps",
            "--to",
            "ldaps",
            "--no-backup",
            "@/ece.jks",
        ],
        0,
    ),
    (
        "keystore delete",
        &[
            "keystore",
            "delete",
            "--storepass-env",
            "CCE_PW",
            "--alias",
            "example root ca",
            "--no-backup",
            "@/ece.jks",
        ],
        0,
    ),
    (
        "keystore passwd",
        &[
            "keystore",
            "passwd",
            "--storepass-env",
            "CCE_PW",
            "--store",
            "--new-storepass-env",
            "CCE_PW2",
            "--no-backup",
            "@/keytool-modern.p12",
        ],
        0,
    ),
    (
        "keystore convert",
        &[
            "keystore",
            "convert",
            "--storepass-env",
            "CCE_PW2",
            "--keypass-env",
            "CCE_PW2",
            "--to",
            "jks",
            "--dest-storepass-env",
            "CCE_PW",
            "@/keytool-modern.p12",
            "@/out.jks",
        ],
        0,
    ),
];

#[test]
fn options_then_positionals_for_every_verb() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = scratch("all");
    // `diff` reads two audit documents: made by the binary itself.
    let audit = Command::new(env!("CARGO_BIN_EXE_ccetrust"))
        .args([
            "audit",
            "--offline",
            "--json",
            "examples/pcce-2k-lab/inventory.toml",
        ])
        .current_dir(&root)
        .output()
        .unwrap();
    std::fs::write(dir.join("a.json"), &audit.stdout).unwrap();
    let mut wrong = Vec::new();
    for (what, args, code) in CASES {
        let args: Vec<String> = args
            .iter()
            .map(|a| a.replace("@/", &format!("{}/", dir.display())))
            .collect();
        let out = Command::new(env!("CARGO_BIN_EXE_ccetrust"))
            .args(&args)
            .env("CCE_PW", "changeit")
            .env("CCE_PW2", "changed-it")
            .current_dir(&root)
            .output()
            .unwrap();
        if out.status.code() != Some(*code) {
            wrong.push(format!(
                "{what}: exit {:?}, expected {code}: {}{}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr).trim(),
                String::from_utf8_lossy(&out.stdout)
                    .chars()
                    .take(300)
                    .collect::<String>()
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The old multi-value form: `--trust a b` no longer takes `b` as a second anchor, so a
/// script's positional is never eaten; two anchors are `--trust a --trust b`.
#[test]
fn a_second_value_after_a_flag_is_the_positional() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = Command::new(env!("CARGO_BIN_EXE_ccetrust"))
        .args([
            "verify",
            "--trust",
            "tests/data/chain/ec-root.pem",
            "tests/data/chain/ec-leaf.pem",
            "tests/data/chain/ec-leaf.pem",
        ])
        .current_dir(&root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "one LEAF only");
}
