//! What a keystore write guarantees (issue 12, "What a write must guarantee"), one test per
//! row of its table, on the binary (`ccetrust keystore import`) and the library
//! (`StoreFile`): the file keeps its mode, owner, group and link; a read-only store is not
//! replaced without `--force`; two writers at once, or keytool writing while ccetrust holds
//! its read, never lose a change silently; a full disk while writing the backup leaves no
//! truncated backup; a writer killed at random moments leaves the old or the new file, whole
//! backups, and no temporary file after the next write.
//!
//! Unix only (modes, owners, signals); the tests run as root in CI so that `chown` to
//! `root:daemon` works. Where a test needs root or keytool and they are missing, it fails
//! under `CI=true` and says so elsewhere.

#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use ccetrust::keystore::{Entry, Format, Keystore, Password, SaveOptions, StoreFile};
use ccetrust::Certificate;

const ENTRIES: usize = 5000;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/keystore")
}

fn pw() -> Password {
    Password::new("changeit")
}

fn cert(name: &str) -> Certificate {
    ccetrust::cert::load_certificates(&fs::read(fixtures().join(name)).unwrap())
        .unwrap()
        .remove(0)
}

/// A JKS of `n` trusted entries (ece.jks's certificates, none of them `ca.pem` or
/// `leaf.pem`, which the writers import), as bytes.
fn store_bytes(n: usize) -> &'static [u8] {
    static BIG: OnceLock<Vec<u8>> = OnceLock::new();
    static SMALL: OnceLock<Vec<u8>> = OnceLock::new();
    let make = |n: usize| {
        let ece =
            Keystore::from_bytes(&fs::read(fixtures().join("ece.jks")).unwrap(), &pw()).unwrap();
        let imported = [cert("ca.pem"), cert("leaf.pem")];
        let certs: Vec<Certificate> = ece
            .entries
            .iter()
            .flat_map(|e| e.certificates().to_vec())
            .filter(|c| imported.iter().all(|i| i.der() != c.der()))
            .collect();
        assert!(!certs.is_empty());
        let mut ks = Keystore::new(Format::Jks);
        for i in 0..n {
            ks.entries.push(Entry::trusted(
                format!("ca-{i}"),
                certs[i % certs.len()].clone(),
            ));
        }
        ks.to_bytes(&pw(), &Default::default()).unwrap()
    };
    if n == ENTRIES {
        BIG.get_or_init(|| make(ENTRIES))
    } else {
        SMALL.get_or_init(|| make(3))
    }
}

fn ccetrust(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ccetrust"));
    c.args(args)
        .env("STOREPASS", "changeit")
        .stdin(Stdio::null());
    c
}

/// `ccetrust keystore import --json --storepass-env STOREPASS [extra] --alias ALIAS STORE FILE`.
fn import(store: &Path, alias: &str, file: &str, extra: &[&str]) -> Command {
    let mut args = vec![
        "keystore",
        "import",
        "--json",
        "--storepass-env",
        "STOREPASS",
    ];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--alias", alias]);
    let mut c = ccetrust(&args);
    c.arg(store).arg(fixtures().join(file));
    c
}

fn output(mut c: Command) -> Output {
    c.output().unwrap()
}

fn error_kind(o: &Output) -> String {
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| {
        panic!(
            "no JSON: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    });
    v["error"]["kind"].as_str().unwrap_or_default().to_string()
}

fn assert_ok(o: &Output, what: &str) {
    assert!(
        o.status.success(),
        "{what}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

fn entries(path: &Path) -> Keystore {
    Keystore::from_bytes(&fs::read(path).unwrap(), &pw()).unwrap()
}

/// The files of `dir` whose name says they are ccetrust's temporary files.
fn temporaries(dir: &Path) -> Vec<PathBuf> {
    fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.contains(".ccetrust-") && n.ends_with(".tmp")
        })
        .collect()
}

fn backups(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "bak"))
        .collect();
    v.sort();
    v
}

/// A backup is named `NAME.YYYYMMDDTHHMMSSZ.bak` or `NAME.YYYYMMDDTHHMMSSZ-N.bak`.
fn assert_backup_name(backup: &Path, store_name: &str) {
    let n = backup.file_name().unwrap().to_string_lossy().into_owned();
    let stamp = n
        .strip_prefix(&format!("{store_name}."))
        .and_then(|r| r.strip_suffix(".bak"))
        .unwrap_or_else(|| panic!("{n}"));
    let (stamp, counter) = stamp.split_once('-').unwrap_or((stamp, "2"));
    assert!(counter.parse::<u32>().unwrap() >= 2, "{n}");
    let b = stamp.as_bytes();
    assert!(
        b.len() == 16
            && b[8] == b'T'
            && b[15] == b'Z'
            && b[..8].iter().chain(&b[9..15]).all(u8::is_ascii_digit),
        "{n}"
    );
}

/// Whether the test may change owners; outside CI a non-root run says why it stops.
fn root() -> bool {
    let probe = tempfile::NamedTempFile::new().unwrap();
    let ok = std::os::unix::fs::chown(probe.path(), Some(1), Some(1)).is_ok();
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true: these tests must run as root (chown to daemon)"
        );
        eprintln!("SKIP: not root, cannot chown");
    }
    ok
}

fn keytool_present() -> bool {
    let ok = Command::new("keytool").arg("-help").output().is_ok();
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true: keytool is required"
        );
        eprintln!("SKIP: keytool not on PATH");
    }
    ok
}

/// Row "chmod 600 (or 640 root:daemon), then any write": the file and its backup keep
/// their mode, owner and group, through the binary and the library.
#[test]
fn mode_owner_and_group_are_kept_for_the_store_and_its_backup() {
    if !root() {
        return;
    }
    for (mode, uid, gid) in [(0o600, 0, 0), (0o640, 0, 1), (0o660, 1, 1)] {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("ks.jks");
        fs::write(&store, store_bytes(3)).unwrap();
        std::os::unix::fs::chown(&store, Some(uid), Some(gid)).unwrap();
        fs::set_permissions(&store, fs::Permissions::from_mode(mode)).unwrap();
        assert_ok(&output(import(&store, "new", "leaf.pem", &[])), "import");
        // The library's own path: a second write.
        let file = StoreFile::open(&store, Duration::from_secs(5)).unwrap();
        let mut ks = file.load(&pw()).unwrap().unwrap();
        ks.entries.push(Entry::trusted("another", cert("ca.pem")));
        let report = file.save(&ks, &pw(), &SaveOptions::default()).unwrap();
        assert!(report.backup.is_some());
        let files = std::iter::once(store.clone()).chain(backups(dir.path()));
        let mut n = 0;
        for f in files {
            let m = fs::metadata(&f).unwrap();
            assert_eq!(
                (m.mode() & 0o7777, m.uid(), m.gid()),
                (mode, uid, gid),
                "{}",
                f.display()
            );
            n += 1;
        }
        assert_eq!(n, 3, "the store and two backups");
        for b in backups(dir.path()) {
            assert_backup_name(&b, "ks.jks");
        }
        assert!(temporaries(dir.path()).is_empty());
    }
}

/// Row "a read-only 444 store in a world-writable folder": not replaced without
/// `--force`, whoever may write the folder; replaced (still 444) with it.
#[test]
fn a_read_only_store_is_not_replaced_without_force() {
    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o1777)).unwrap();
    let store = dir.path().join("cacerts");
    fs::write(&store, store_bytes(3)).unwrap();
    fs::set_permissions(&store, fs::Permissions::from_mode(0o444)).unwrap();
    let o = output(import(&store, "new", "leaf.pem", &[]));
    assert!(!o.status.success());
    assert_eq!(error_kind(&o), "read_only");
    assert!(String::from_utf8_lossy(&o.stdout).contains("cacerts"));
    assert_eq!(fs::read(&store).unwrap(), store_bytes(3));
    assert!(backups(dir.path()).is_empty() && temporaries(dir.path()).is_empty());

    // The library refuses the same way; `force` replaces it.
    let file = StoreFile::open(&store, Duration::from_secs(5)).unwrap();
    let mut ks = file.load(&pw()).unwrap().unwrap();
    ks.entries.push(Entry::trusted("new", cert("leaf.pem")));
    let err = file.save(&ks, &pw(), &SaveOptions::default()).unwrap_err();
    assert_eq!(err.kind(), "read_only");

    assert_ok(
        &output(import(&store, "new", "leaf.pem", &["--force"])),
        "--force",
    );
    assert!(entries(&store).entry("new").is_some());
    assert_eq!(fs::metadata(&store).unwrap().mode() & 0o777, 0o444);
}

/// Row "a read-only root-owned store … replaced by user nobody": as `nobody`, a store
/// nobody may not write (root's 0644) in a folder everyone may write is refused, and the
/// file stays root's.
#[test]
fn another_users_store_is_not_taken_over_through_a_writable_folder() {
    if !root() {
        return;
    }
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o1777)).unwrap();
    let store = dir.path().join("cacerts");
    fs::write(&store, store_bytes(3)).unwrap();
    fs::set_permissions(&store, fs::Permissions::from_mode(0o644)).unwrap();
    // `nobody` must reach the binary and the fixture: copy both into the folder.
    let bin = dir.path().join("ccetrust");
    fs::copy(env!("CARGO_BIN_EXE_ccetrust"), &bin).unwrap();
    let leaf = dir.path().join("leaf.pem");
    fs::copy(fixtures().join("leaf.pem"), &leaf).unwrap();
    fs::set_permissions(&leaf, fs::Permissions::from_mode(0o644)).unwrap();
    let o = Command::new(&bin)
        .args([
            "keystore",
            "import",
            "--json",
            "--storepass-env",
            "STOREPASS",
        ])
        .args(["--alias", "new"])
        .arg(&store)
        .arg(&leaf)
        .env("STOREPASS", "changeit")
        .current_dir(dir.path())
        .uid(65534)
        .gid(65534)
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert_eq!(error_kind(&o), "read_only");
    let m = fs::metadata(&store).unwrap();
    assert_eq!((m.uid(), m.mode() & 0o777), (0, 0o644));
    assert_eq!(fs::read(&store).unwrap(), store_bytes(3));
    assert!(temporaries(dir.path()).is_empty());
}

/// Row "the store is a symlink (Debian's JDK cacerts is one)": the file the link points
/// to is updated, the link stays a link, the backup sits beside the real file.
#[test]
fn a_write_through_a_symlink_updates_its_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let real_dir = dir.path().join("etc-ssl");
    fs::create_dir(&real_dir).unwrap();
    let real = real_dir.join("cacerts");
    fs::write(&real, store_bytes(3)).unwrap();
    let link = dir.path().join("cacerts");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    assert_ok(&output(import(&link, "new", "leaf.pem", &[])), "import");
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(fs::read_link(&link).unwrap(), real);
    assert!(entries(&real).entry("new").is_some());
    let b = backups(&real_dir);
    assert_eq!(b.len(), 1);
    assert_backup_name(&b[0], "cacerts");
    assert_eq!(fs::read(&b[0]).unwrap(), store_bytes(3));
    assert!(backups(dir.path()).is_empty());
    assert!(temporaries(&real_dir).is_empty() && temporaries(dir.path()).is_empty());
}

/// Row "two keystore import at once on one store": on a 5,000-entry store, 20 times, two
/// writers started together; afterwards both entries are there, or a writer that failed
/// said `concurrent_modification`. Never both "ok" with an entry lost.
#[test]
fn two_writers_at_once_never_lose_an_entry() {
    let dir = tempfile::tempdir().unwrap();
    for round in 0..20 {
        let store = dir.path().join(format!("big-{round}.jks"));
        fs::write(&store, store_bytes(ENTRIES)).unwrap();
        let mut a = import(&store, "writer-a", "leaf.pem", &["--no-backup"]);
        let mut b = import(&store, "writer-b", "ca.pem", &["--no-backup"]);
        let a = a.stdout(Stdio::piped()).spawn().unwrap();
        let b = b.stdout(Stdio::piped()).spawn().unwrap();
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        let ks = entries(&store);
        for (o, alias) in [(&a, "writer-a"), (&b, "writer-b")] {
            if o.status.success() {
                assert!(
                    ks.entry(alias).is_some(),
                    "round {round}: {alias} said ok but is lost"
                );
            } else {
                assert_eq!(error_kind(o), "concurrent_modification", "round {round}");
            }
        }
        assert_eq!(
            ks.entries.len(),
            ENTRIES + [&a, &b].iter().filter(|o| o.status.success()).count()
        );
        assert!(temporaries(dir.path()).is_empty());
    }
}

/// Row "keytool writing while ccetrust waits": keytool (which takes no lock) adds an
/// entry between ccetrust's read and its write; ccetrust writes nothing and says
/// `concurrent_modification`, naming the file; keytool's entry is kept.
#[test]
fn keytool_writing_during_ccetrusts_read_is_not_overwritten() {
    if !keytool_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("cacerts.jks");
    fs::write(&store, store_bytes(ENTRIES)).unwrap();
    let file = StoreFile::open(&store, Duration::from_secs(5)).unwrap();
    let mut ks = file.load(&pw()).unwrap().unwrap();
    ks.entries.push(Entry::trusted("ours", cert("leaf.pem")));
    let kt = Command::new("keytool")
        .args(["-J-Duser.language=en", "-importcert", "-noprompt"])
        .args([
            "-alias",
            "keytools",
            "-storetype",
            "JKS",
            "-storepass",
            "changeit",
        ])
        .arg("-file")
        .arg(fixtures().join("ca.pem"))
        .arg("-keystore")
        .arg(&store)
        .output()
        .unwrap();
    assert_ok(&kt, "keytool -importcert");
    let err = file.save(&ks, &pw(), &SaveOptions::default()).unwrap_err();
    assert_eq!(err.kind(), "concurrent_modification");
    assert!(err.to_string().contains("cacerts.jks"), "{err}");
    let after = entries(&store);
    assert!(after.entry("keytools").is_some() && after.entry("ours").is_none());
    assert!(backups(dir.path()).is_empty() && temporaries(dir.path()).is_empty());

    // The same through `save` with the fingerprint of an earlier read (Python's path).
    let (bytes, fp) = ccetrust::keystore::read_store(&store).unwrap();
    let mut ks = Keystore::from_bytes(&bytes, &pw()).unwrap();
    ks.entries.push(Entry::trusted("ours", cert("leaf.pem")));
    fs::write(&store, store_bytes(3)).unwrap(); // someone else's change
    let opts = SaveOptions {
        expect: Some(fp),
        ..SaveOptions::default()
    };
    let err = ccetrust::keystore::save(&store, &ks, &pw(), &opts).unwrap_err();
    assert_eq!(err.kind(), "concurrent_modification");
    assert_eq!(fs::read(&store).unwrap(), store_bytes(3));
}

/// Row "full disk while writing the backup": with a file-size limit (RLIMIT_FSIZE, as a
/// full disk does: the write fails midway) below the store's size, the write fails, the
/// store is unchanged, and there is no backup and no temporary file.
#[test]
fn a_full_disk_while_writing_the_backup_leaves_no_truncated_backup() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("big.jks");
    fs::write(&store, store_bytes(ENTRIES)).unwrap();
    let size_kib = store_bytes(ENTRIES).len() / 1024;
    for limit in [1, size_kib / 2, size_kib - 1] {
        let cmd = format!(
            "trap '' XFSZ; ulimit -f {limit}; exec \"$0\" keystore import --json --storepass-env STOREPASS --alias new \"$1\" \"$2\""
        );
        let o = Command::new("bash")
            .args(["-c", &cmd, env!("CARGO_BIN_EXE_ccetrust")])
            .arg(&store)
            .arg(fixtures().join("leaf.pem"))
            .env("STOREPASS", "changeit")
            .output()
            .unwrap();
        assert!(!o.status.success(), "limit {limit} KiB");
        assert_eq!(error_kind(&o), "io", "limit {limit} KiB");
        assert_eq!(fs::read(&store).unwrap(), store_bytes(ENTRIES));
        assert!(backups(dir.path()).is_empty(), "limit {limit} KiB");
        assert!(temporaries(dir.path()).is_empty(), "limit {limit} KiB");
    }
}

/// Row "kill -9 during a write": 30 writers killed with SIGKILL at random moments on a
/// 5,000-entry store. Each time the store is the old file or the complete new one, every
/// backup is a complete copy of the old file, any temporary file left is owner-only, and
/// the next write removes it.
#[test]
fn a_writer_killed_at_random_leaves_old_or_new_whole_and_no_temporary_after_the_next_write() {
    let dir = tempfile::tempdir().unwrap();
    let original = store_bytes(ENTRIES);
    // A time-seeded xorshift: different moments each run; the seed is printed to replay.
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("seed {seed}");
    let mut outcomes = [0usize; 2];
    for attempt in 0..30 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = seed % 1500;
        let sub = dir.path().join(format!("run-{attempt}"));
        fs::create_dir(&sub).unwrap();
        let store = sub.join("big.jks");
        fs::write(&store, original).unwrap();
        fs::set_permissions(&store, fs::Permissions::from_mode(0o600)).unwrap();
        let mut child = import(&store, "new", "leaf.pem", &[])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let after = fs::read(&store).unwrap();
        if after == original {
            outcomes[0] += 1;
        } else {
            let ks = Keystore::from_bytes(&after, &pw())
                .unwrap_or_else(|e| panic!("attempt {attempt} ({delay} ms): damaged: {e}"));
            assert!(ks.entries.len() == ENTRIES + 1 && ks.entry("new").is_some());
            outcomes[1] += 1;
        }
        for b in backups(&sub) {
            assert_eq!(
                fs::read(&b).unwrap(),
                original,
                "attempt {attempt}: {}",
                b.display()
            );
            assert_eq!(fs::metadata(&b).unwrap().mode() & 0o777, 0o600);
        }
        for t in temporaries(&sub) {
            assert_eq!(
                fs::metadata(&t).unwrap().mode() & 0o777,
                0o600,
                "{}",
                t.display()
            );
        }
        // The next write cleans up and leaves a backup.
        assert_ok(
            &output(import(&store, "next", "ca.pem", &[])),
            "the next write",
        );
        assert!(
            temporaries(&sub).is_empty(),
            "attempt {attempt}: {:?}",
            temporaries(&sub)
        );
        assert!(!backups(&sub).is_empty());
        assert_eq!(fs::metadata(&store).unwrap().mode() & 0o777, 0o600);
    }
    eprintln!(
        "old file {} times, new file {} times",
        outcomes[0], outcomes[1]
    );
}

/// `apply`'s backups (the `backup_store` the plan's backup step calls): a store file and a
/// folder store, under the one scheme, `-2` when the name is taken, with the original's
/// mode; a folder store's certificate written by `write_file` keeps its mode and leaves no
/// temporary file.
#[test]
fn apply_backups_of_files_and_folders_use_the_one_scheme() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("cacerts");
    fs::write(&store, store_bytes(3)).unwrap();
    fs::set_permissions(&store, fs::Permissions::from_mode(0o640)).unwrap();
    let at = ccetrust::Timestamp::from_civil(2026, 12, 3, 10, 57, 14).unwrap();
    let first = ccetrust::keystore::backup_store(&store, at, Duration::from_secs(5)).unwrap();
    let second = ccetrust::keystore::backup_store(&store, at, Duration::from_secs(5)).unwrap();
    assert_eq!(first, dir.path().join("cacerts.20261203T105714Z.bak"));
    assert_eq!(second, dir.path().join("cacerts.20261203T105714Z-2.bak"));
    for b in [&first, &second] {
        assert_eq!(fs::read(b).unwrap(), store_bytes(3));
        assert_eq!(fs::metadata(b).unwrap().mode() & 0o777, 0o640);
    }

    let folder = dir.path().join("trust");
    fs::create_dir(&folder).unwrap();
    let pem = folder.join("root.pem");
    fs::write(&pem, cert("ca.pem").to_pem()).unwrap();
    fs::set_permissions(&pem, fs::Permissions::from_mode(0o600)).unwrap();
    let b = ccetrust::keystore::backup_store(&folder, at, Duration::from_secs(5)).unwrap();
    assert_eq!(b, dir.path().join("trust.20261203T105714Z.bak"));
    assert_eq!(
        fs::read(b.join("root.pem")).unwrap(),
        fs::read(&pem).unwrap()
    );
    assert_eq!(
        fs::metadata(b.join("root.pem")).unwrap().mode() & 0o777,
        0o600
    );

    ccetrust::keystore::write_file(&pem, cert("leaf.pem").to_pem().as_bytes()).unwrap();
    assert_eq!(
        fs::read(&pem).unwrap(),
        cert("leaf.pem").to_pem().as_bytes()
    );
    assert_eq!(fs::metadata(&pem).unwrap().mode() & 0o777, 0o600);
    assert!(temporaries(&folder).is_empty() && temporaries(dir.path()).is_empty());
}
