//! Renewal carried out by one `apply` (issue 15, "End to end on a copy of an example"): on a
//! copy of `examples/pcce-2k-lab`, whose cvpb has expired self-signed CVP certificates,
//! `ccetrust apply` regenerates each in cvpb's collected JCEKS and, in the same run, imports
//! the new certificates into every AW's cacerts; keytool reads both stores back; the next
//! audit has no finding on cvpb. A regeneration that cannot be made changes no importer.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

mod cce_support;
mod tool_support;

use std::path::{Path, PathBuf};
use std::process::Command;

use ccetrust::cce::{self, Code, StepKind};

const CVPB: &str = "cvpb.lab.example.com";
/// `Security.keystorePW` of the example's cvpb (`stores/cvpb/security.properties`).
const CVPB_PW: &str = "Cvp-Lab-Keystore-1";

fn tools() -> bool {
    tool_support::require("keytool", "the keytool read-back of regenerated entries")
}

/// A copy of the lab and the audit options the example's dates need.
fn lab_copy(tag: &str) -> (PathBuf, cce::Inventory, cce::AuditOptions) {
    let dir = cce_support::temp_dir(tag);
    cce_support::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/pcce-2k-lab"),
        &dir,
    );
    let inv = cce::Inventory::load(&dir.join("inventory.toml")).unwrap();
    let opts = cce::AuditOptions {
        at: ccetrust::Timestamp::now(),
        expiring_days: 60,
    };
    (dir, inv, opts)
}

/// `ccetrust apply --json` on the copy.
fn apply_cli(dir: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ccetrust"))
        .args(["apply", "--json"])
        .arg(dir.join("inventory.toml"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

/// keytool's verbose listing of one alias.
fn keytool_alias(store: &Path, storetype: &str, pw: &str, alias: &str) -> String {
    let o = Command::new("keytool")
        .args(["-list", "-v", "-storetype", storetype, "-keystore"])
        .arg(store)
        .args(["-storepass", pw, "-alias", alias])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(o.status.success(), "keytool -list {alias}: {text}");
    text
}

/// `AB:CD:…` as keytool prints a SHA-256 fingerprint.
fn keytool_fingerprint(hex: &str) -> String {
    hex.as_bytes()
        .chunks(2)
        .map(|c| String::from_utf8_lossy(c).to_ascii_uppercase())
        .collect::<Vec<_>>()
        .join(":")
}

/// The importers' stores (path, password) and aliases the plan re-imports cvpb's
/// certificates into.
fn reimports(inv: &cce::Inventory, plan: &cce::Plan) -> Vec<(PathBuf, String, String)> {
    plan.steps()
        .filter_map(|(hp, st)| match &st.action {
            cce::plan::Action::ImportRegenerated {
                store,
                alias,
                exporter,
                ..
            } if inv.hosts[*exporter].fqdn == CVPB => {
                let s = &inv.hosts[hp.host].stores[*store];
                let pw = cce::evidence::password(s.kind, &s.password).unwrap();
                Some((s.path.clone(), pw.as_str().to_string(), alias.clone()))
            }
            _ => None,
        })
        .collect()
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

#[cfg(unix)]
fn set_mode(p: &Path, m: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
}

/// The plan makes cvpb's regenerations and the AWs' re-imports executable; one `ccetrust
/// apply` does them all; keytool lists the new key entries (PrivateKeyEntry, not expired,
/// CN = the FQDN) and finds the new fingerprints under the AWs' aliases; the stores keep
/// their modes; the `after` audit and a fresh one have no finding on cvpb.
#[test]
fn one_apply_regenerates_expired_cvp_certificates_and_imports_them_on_every_aw() {
    if !tools() {
        return;
    }
    let (dir, inv, opts) = lab_copy("renew-apply");
    let (a, p) = cce::run(&inv, &opts).unwrap();
    assert!(
        a.with_code(Code::ValidityExpired).any(|f| f.host == CVPB),
        "the example's cvpb has expired certificates"
    );
    let regens: Vec<_> = p
        .steps()
        .filter(|(hp, st)| hp.fqdn == CVPB && st.kind == StepKind::Regenerate)
        .collect();
    assert!(!regens.is_empty());
    assert!(regens.iter().all(|(_, st)| st.executable()), "{regens:?}");
    let targets = reimports(&inv, &p);
    assert!(
        targets
            .iter()
            .any(|(path, _, _)| path.to_string_lossy().contains("aw")),
        "the AWs re-import: {targets:?}"
    );
    #[cfg(unix)]
    for (path, _, _) in &targets {
        set_mode(path, 0o640);
    }

    let o = apply_cli(&dir);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let regenerated = doc["regenerated"].as_array().unwrap();
    assert_eq!(regenerated.len(), regens.len(), "{doc:#}");

    let keystore = dir.join("stores/cvpb/keystore");
    for r in regenerated {
        let alias = r["alias"].as_str().unwrap();
        assert_eq!(Path::new(r["store"].as_str().unwrap()), keystore);
        let text = keytool_alias(&keystore, "JCEKS", CVPB_PW, alias);
        assert!(text.contains("Entry type: PrivateKeyEntry"), "{text}");
        assert!(text.contains(&format!("Owner: CN={CVPB}")), "{text}");
        let fp = keytool_fingerprint(r["sha256"].as_str().unwrap());
        assert!(text.contains(&fp), "{alias}: {fp} not in {text}");
    }
    let fingerprints: Vec<String> = regenerated
        .iter()
        .map(|r| keytool_fingerprint(r["sha256"].as_str().unwrap()))
        .collect();
    for (store, pw, alias) in &targets {
        let text = keytool_alias(store, "JKS", pw, alias);
        assert!(
            fingerprints.iter().any(|fp| text.contains(fp)),
            "{}: `{alias}` holds none of the new certificates: {text}",
            store.display()
        );
        #[cfg(unix)]
        assert_eq!(mode(store), 0o640, "{} keeps its mode", store.display());
    }
    assert!(!doc["backups"].as_array().unwrap().is_empty());

    let on_cvpb = |findings: &[cce::Finding]| -> Vec<String> {
        findings
            .iter()
            .filter(|f| f.host == CVPB || f.exporter.as_deref() == Some(CVPB))
            .map(|f| format!("{} {}: {}", f.host, f.code.as_str(), f.message))
            .collect()
    };
    let after = doc["after"]["findings"].as_array().unwrap();
    let left: Vec<_> = after
        .iter()
        .filter(|f| f["host"] == CVPB || f["exporter"] == CVPB)
        .collect();
    assert!(left.is_empty(), "{left:#?}");
    let inv2 = cce::Inventory::load(&dir.join("inventory.toml")).unwrap();
    let (a3, p3) = cce::run(&inv2, &opts).unwrap();
    let left = on_cvpb(&a3.findings);
    assert!(left.is_empty(), "{left:#?}");
    assert!(
        !p3.steps().any(|(hp, _)| hp.fqdn == CVPB),
        "nothing left to plan on cvpb"
    );
}

/// A regeneration that cannot be made (the store password in security.properties is wrong)
/// stops the run with an error naming the store, and no importer's store changes.
#[test]
fn a_failed_regeneration_imports_nothing() {
    if !tools() {
        return;
    }
    let (dir, inv, opts) = lab_copy("renew-apply-fail");
    let (_, p) = cce::run(&inv, &opts).unwrap();
    let targets = reimports(&inv, &p);
    assert!(!targets.is_empty());
    let before: Vec<Vec<u8>> = targets
        .iter()
        .map(|(s, _, _)| std::fs::read(s).unwrap())
        .collect();
    std::fs::write(
        dir.join("stores/cvpb/security.properties"),
        "Security.keystorePW=not-the-password\n",
    )
    .unwrap();
    let o = apply_cli(&dir);
    assert!(!o.status.success(), "apply must fail");
    let err = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(err.contains("stores/cvpb/"), "names the store: {err}");
    for ((store, _, _), bytes) in targets.iter().zip(before) {
        assert_eq!(
            std::fs::read(store).unwrap(),
            bytes,
            "{} unchanged",
            store.display()
        );
    }
}
