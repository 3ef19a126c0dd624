//! The messages a user reads (issue 13, "Messages"): each names what to do or what it is
//! about. One table: a setup, a command, and the text its output (stdout + stderr) must
//! hold, and must not.
#![cfg(feature = "cli")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

use std::path::Path;
use std::process::{Command, Stdio};

/// `(what, commands run first, the command, text it must show, text it must not show)`.
/// `@/` is a scratch folder holding copies of the fixtures (`old.jks`, `old.jceks` too);
/// the store password is in STOREPASS, a new one in NEWPASS.
type Case = (
    &'static str,
    &'static [&'static [&'static str]],
    &'static [&'static str],
    &'static str,
    &'static str,
);

const CASES: &[Case] = &[
    (
        "an alias holding another certificate: the flag that replaces it",
        &[],
        &[
            "keystore",
            "import",
            "--storepass-env",
            "STOREPASS",
            "--alias",
            "example root ca",
            "--no-backup",
            "@/ece.jks",
            "@/leaf.pem",
        ],
        "--replace",
        "ask to replace",
    ),
    (
        "rename says the alias as stored (JKS lower-cases it)",
        &[],
        &[
            "keystore",
            "rename",
            "--storepass-env",
            "STOREPASS",
            "--alias",
            "Tomcat",
            "--to",
            "MyKey",
            "--no-backup",
            "@/ece.jks",
        ],
        "renamed 'tomcat' to 'mykey'",
        "to 'MyKey'",
    ),
    (
        "a password file that is not UTF-8 is named",
        &[],
        &[
            "keystore",
            "list",
            "--storepass-file",
            "@/latin1.txt",
            "@/ece.jks",
        ],
        "latin1.txt: the password is not valid UTF-8",
        "",
    ),
    (
        "a JKS opened with its old password after a password change",
        &[&[
            "keystore",
            "passwd",
            "--storepass-env",
            "STOREPASS",
            "--store",
            "--new-storepass-env",
            "NEWPASS",
            "--no-backup",
            "@/old.jks",
        ]],
        &[
            "keystore",
            "list",
            "--storepass-env",
            "STOREPASS",
            "@/old.jks",
        ],
        "wrong password, or the file was modified",
        "the password is right",
    ),
    (
        "a JCEKS whose keys still open with the old password: not called tampering",
        &[&["keystore", "passwd", "--storepass-env", "STOREPASS", "--store", "--new-storepass-env", "NEWPASS", "--no-backup", "@/old.jceks"]],
        &["keystore", "list", "--storepass-env", "STOREPASS", "@/old.jceks"],
        "wrong password, or the file was modified (this password opens a private key in it: it may be the store's old password",
        "the password is right",
    ),
    (
        "inspect on a PKCS#12 says it is a keystore and which command reads it",
        &[],
        &["inspect", "@/keytool-modern.p12"],
        "a PKCS12 keystore: list it with `ccetrust keystore list",
        "malformed DER",
    ),
    (
        "inspect on a JKS too",
        &[],
        &["inspect", "@/ece.jks"],
        "a JKS keystore: list it with `ccetrust keystore list",
        "neither DER",
    ),
];

fn run(args: &[&str], dir: &Path) -> String {
    let args: Vec<String> = args
        .iter()
        .map(|a| a.replace("@/", &format!("{}/", dir.display())))
        .collect();
    let o = Command::new(env!("CARGO_BIN_EXE_ccetrust"))
        .args(&args)
        .env("STOREPASS", "changeit")
        .env("NEWPASS", "n3w-pass")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn messages_name_what_to_do() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/keystore");
    let mut wrong = Vec::new();
    for (what, setup, cmd, want, unwanted) in CASES {
        let dir = tempfile::tempdir().unwrap();
        for f in ["ece.jks", "keytool-modern.p12", "leaf.pem"] {
            std::fs::copy(root.join(f), dir.path().join(f)).unwrap();
        }
        std::fs::copy(root.join("ece.jks"), dir.path().join("old.jks")).unwrap();
        std::fs::copy(root.join("cvp.jceks"), dir.path().join("old.jceks")).unwrap();
        std::fs::write(dir.path().join("latin1.txt"), b"chang\xe9it\n").unwrap();
        for s in *setup {
            run(s, dir.path());
        }
        let text = run(cmd, dir.path());
        if !text.contains(want) || (!unwanted.is_empty() && text.contains(unwanted)) {
            wrong.push(format!(
                "{what}: wanted {want:?} (and not {unwanted:?}), got: {text}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
