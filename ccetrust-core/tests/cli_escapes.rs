//! What the text printers send to a terminal holds no control character from the input: an ANSI
//! escape or a BEL in a certificate subject, an alias or a name the user typed is shown as
//! `\u{1b}` / `\u{7}` (issue 12, "text output escapes control characters"). The fixtures are
//! made by openssl and keytool: `tests/data/hostile/gen.sh`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

use std::path::PathBuf;
use std::process::Command;

fn hostile(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data/hostile")
        .join(name)
        .display()
        .to_string()
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ccetrust"))
}

/// `(verb and arguments, what the text must show escaped)`: each text printer that shows a
/// subject, an alias or a name taken from its input.
fn cases() -> Vec<(Vec<String>, Vec<&'static str>)> {
    let pem = hostile("esc-subject.pem");
    let jks = hostile("hostile-alias.jks");
    let pw = hostile("changeit.txt");
    vec![
        (
            vec!["inspect".into(), pem.clone()],
            vec![r"CN=evil\u{1b}[2J.example.com", r"owned\u{7}"],
        ),
        (
            vec![
                "keystore".into(),
                "list".into(),
                "--storepass-file".into(),
                pw,
                jks,
            ],
            vec![
                r#"Alias name: old rgra" & calc.exe & "x\u{1b}[31m"#,
                r"Owner: O=ACME\u{1b}]0\;owned\u{7}",
            ],
        ),
        (
            vec![
                "verify".into(),
                "--trust".into(),
                pem.clone(),
                "--name".into(),
                "evil\u{1b}[2J.example.com".into(),
                pem,
            ],
            vec![r"name: evil\u{1b}[2J.example.com does NOT match"],
        ),
    ]
}

#[test]
fn text_printers_show_control_characters_escaped() {
    for (args, shown) in cases() {
        let out = bin().args(&args).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        for raw in ['\u{1b}', '\u{7}'] {
            assert!(!text.contains(raw), "{args:?} sent {raw:?} raw:\n{text}");
            assert!(
                !err.contains(raw),
                "{args:?} sent {raw:?} raw on stderr:\n{err}"
            );
        }
        for s in shown {
            assert!(text.contains(s), "{args:?}: missing {s:?} in\n{text}{err}");
        }
    }
}

/// JSON is escaped by serde: the same values come back exactly, with their control characters.
#[test]
fn json_keeps_the_exact_values() {
    let out = bin()
        .args(["inspect", "--json", &hostile("esc-subject.pem")])
        .output()
        .unwrap();
    assert!(!out.stdout.contains(&0x1b), "raw ESC in JSON");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let subject = v["certificates"][0]["subject"].as_str().unwrap();
    assert!(
        subject.contains("CN=evil\u{1b}[2J.example.com"),
        "{subject}"
    );
}

/// An error message quotes what the user gave (here a path with an ESC): shown escaped too.
#[test]
fn errors_show_control_characters_escaped() {
    let out = bin()
        .args(["inspect", "/nonexistent/\u{1b}[2Jfile.pem"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains('\u{1b}'), "{err}");
    assert!(err.contains(r"\u{1b}[2Jfile.pem"), "{err}");
}
