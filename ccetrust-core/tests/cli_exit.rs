//! The exit-code table every verb follows (README "Exit codes", `cli/exit.rs`): 0 done and
//! the answer is yes, 1 could not do it, 2 usage, 3 done and the answer is no. One row per
//! verb and outcome, run against the binary as a script would.
#![cfg(feature = "cli")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

use std::path::Path;
use std::process::Command;

/// `(what, arguments relative to the repository root, expected exit code)`.
const CASES: &[(&str, &[&str], i32)] = &[
    (
        "inspect: a certificate read",
        &["inspect", "tests/data/certs/ec256.pem"],
        0,
    ),
    (
        "inspect: a missing file",
        &["inspect", "tests/data/certs/no-such.pem"],
        1,
    ),
    (
        "inspect: an unknown option",
        &["inspect", "--bogus", "tests/data/certs/ec256.pem"],
        2,
    ),
    (
        "verify: not valid (another root)",
        &[
            "verify",
            "tests/data/chain/cvp.pem",
            "--trust",
            "tests/data/chain/ec-root.pem",
        ],
        3,
    ),
    (
        "verify: a missing trust file",
        &[
            "verify",
            "tests/data/chain/cvp.pem",
            "--trust",
            "tests/data/chain/no-such.pem",
        ],
        1,
    ),
    (
        "verify: no --trust",
        &["verify", "tests/data/chain/cvp.pem"],
        2,
    ),
    (
        "csr compare: VOS will reject the upload",
        &[
            "csr",
            "compare",
            "tests/data/certs/finesse.csr",
            "tests/data/certs/finesse.pem",
        ],
        3,
    ),
    (
        "audit: no --fail-on",
        &["audit", "--offline", "examples/pcce-2k-lab/inventory.toml"],
        0,
    ),
    (
        "audit: findings at --fail-on error",
        &[
            "audit",
            "--offline",
            "--fail-on",
            "error",
            "examples/pcce-2k-lab/inventory.toml",
        ],
        3,
    ),
    (
        "audit: a missing inventory",
        &["audit", "--offline", "examples/no-such/inventory.toml"],
        1,
    ),
    ("no verb", &[], 2),
];

#[test]
fn every_verb_follows_the_exit_table() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut wrong = Vec::new();
    for (what, args, code) in CASES {
        let out = Command::new(env!("CARGO_BIN_EXE_ccetrust"))
            .args(*args)
            .current_dir(&root)
            .output()
            .unwrap();
        if out.status.code() != Some(*code) {
            wrong.push(format!(
                "{what}: exit {:?}, expected {code}: {}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
