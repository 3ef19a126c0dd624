//! Bounded input (issue 12): a path that is a device, a FIFO or a socket is refused with a
//! typed error at once, and a file over its kind's limit is refused before it is read, by
//! every reader: certificate loading, `inspect`, keystores, password files, the inventory
//! and the evidence it names. Each case runs under a deadline: a hang fails the test.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use ccetrust::input::{self, InputKind};
use ccetrust::keystore::{Keystore, Password};

const DEADLINE: Duration = Duration::from_secs(10);

/// The special files every reader is tried with: (path, kind the error must have).
fn specials(dir: &Path) -> Vec<(PathBuf, &'static str)> {
    let mut v = Vec::new();
    #[cfg(unix)]
    {
        v.push((PathBuf::from("/dev/zero"), "not_a_file"));
        v.push((PathBuf::from("/dev/urandom"), "not_a_file"));
        let fifo = dir.join("fifo");
        let ok = Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .map(|s| s.success());
        assert!(matches!(ok, Ok(true)), "mkfifo failed: {ok:?}");
        v.push((fifo, "not_a_file"));
        let sock = dir.join("sock");
        // Kept open for the test's life by leaking it: the path must stay a live socket.
        let l = std::os::unix::net::UnixListener::bind(&sock).unwrap();
        std::mem::forget(l);
        v.push((sock, "not_a_file"));
    }
    // A sparse file of 300 MiB: over every limit, costs no disk.
    let sparse = dir.join("sparse.bin");
    std::fs::File::create(&sparse)
        .unwrap()
        .set_len(300 << 20)
        .unwrap();
    v.push((sparse, "too_large"));
    v.push((dir.to_path_buf(), "not_a_file"));
    v
}

/// Runs `f` on a thread and fails if it does not return within the deadline.
fn within_deadline<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    let start = Instant::now();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(DEADLINE) {
        Ok(v) => v,
        Err(_) => panic!("{what}: no answer after {:?} (a hang)", start.elapsed()),
    }
}

#[test]
fn every_library_reader_refuses_special_and_oversized_files() {
    let dir = tempfile::tempdir().unwrap();
    for (path, kind) in specials(dir.path()) {
        for k in [
            InputKind::Certificate,
            InputKind::Inventory,
            InputKind::Keystore,
            InputKind::Password,
        ] {
            let p = path.clone();
            let e = within_deadline("input::read", move || input::read(&p, k)).unwrap_err();
            assert_eq!(e.kind(), kind, "{}: {e}", path.display());
            assert!(e.to_string().contains(&*path.to_string_lossy()), "{e}");
        }
        let p = path.clone();
        let e = within_deadline("load_file", move || ccetrust::load_file(&p)).unwrap_err();
        assert_eq!(e.kind(), kind, "load_file {}: {e}", path.display());
        let p = path.clone();
        let e = within_deadline("Keystore::load", move || {
            Keystore::load(&p, &Password::new("changeit"))
        })
        .unwrap_err();
        assert_eq!(e.kind(), kind, "Keystore::load {}: {e}", path.display());
        let p = path.clone();
        let e =
            within_deadline("Password::from_file", move || Password::from_file(&p)).unwrap_err();
        assert_eq!(
            e.kind(),
            kind,
            "Password::from_file {}: {e}",
            path.display()
        );
        let p = path.clone();
        let e = within_deadline("Inventory::load", move || {
            ccetrust::cce::Inventory::load(&p)
        })
        .unwrap_err();
        assert_eq!(e.kind(), kind, "Inventory::load {}: {e}", path.display());
    }
}

#[test]
fn the_limit_and_the_file_are_in_the_message() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("big.jks");
    std::fs::File::create(&p)
        .unwrap()
        .set_len(InputKind::Keystore.limit() + 1)
        .unwrap();
    let e = Keystore::load(&p, &Password::new("changeit")).unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("256 MiB") && msg.contains("big.jks"), "{msg}");
    // Exactly at the limit is still read (and then found not to be a keystore).
    let q = dir.path().join("cert.pem");
    std::fs::File::create(&q)
        .unwrap()
        .set_len(InputKind::Certificate.limit())
        .unwrap();
    assert_eq!(
        input::read(&q, InputKind::Certificate).unwrap().len() as u64,
        16 << 20
    );
    let e = input::read(&q, InputKind::Password).unwrap_err();
    assert!(
        e.to_string().contains("1 MiB") && e.to_string().contains("password file"),
        "{e}"
    );
}

fn cli(args: &[&std::ffi::OsStr]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ccetrust"))
        .args(args)
        .env("KS_PW", "changeit")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            panic!("ccetrust {args:?}: still running after {DEADLINE:?} (a hang)");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn cli_inspect_and_keystore_refuse_special_files_quickly() {
    let dir = tempfile::tempdir().unwrap();
    for (path, _) in specials(dir.path()) {
        if path == dir.path() {
            continue; // `inspect FOLDER` inspects the files in it
        }
        let p = path.as_os_str();
        for args in [
            vec!["inspect".as_ref(), p],
            vec![
                "keystore".as_ref(),
                "list".as_ref(),
                "--storepass-env".as_ref(),
                "KS_PW".as_ref(),
                p,
            ],
            vec![
                "keystore".as_ref(),
                "list".as_ref(),
                "--storepass-file".as_ref(),
                p,
                p,
            ],
        ] {
            let out = cli(&args);
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
            assert!(
                err.contains("not a regular file") || err.contains("MiB"),
                "{args:?}: {err}"
            );
        }
    }
}

#[test]
fn an_inventory_naming_dev_zero_finishes() {
    let dir = tempfile::tempdir().unwrap();
    let inv = dir.path().join("inventory.toml");
    std::fs::write(
        &inv,
        "[deployment]\nname = \"t\"\nproduct = \"pcce\"\nversion = \"12.6\"\n\n\
         [[host]]\nfqdn = \"aw1.example.com\"\nroles = [\"aw\"]\n\
         [host.presents]\niis = \"/dev/zero\"\n",
    )
    .unwrap();
    let out = cli(&["audit".as_ref(), inv.as_os_str()]);
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        all.contains("/dev/zero") && all.contains("not a regular file"),
        "{all}"
    );
}
