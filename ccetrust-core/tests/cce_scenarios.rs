//! One scenario per vendor procedure of CCE-TRUST.md §4: a small deployment with the
//! certificate exchange left undone, the plan checked against the procedure (which store, which
//! alias, which order, which host, which restart), then the plan carried out and the deployment
//! audited again: the findings the plan fixed are gone and the plan is empty.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

mod tool_support;

mod cce_support;

use std::path::Path;

use cce_support::*;
use ccetrust::cce::{self, Code, EdgeStatus, StepKind};

const D: &str = "t.example.com";

fn ca_files() -> String {
    format!(
        "certificates = \"ca-signed\"\nca = ['{}', '{}']",
        data("ca/root.pem").display(),
        data("ca/issuing.pem").display()
    )
}

/// The keytool line of a Windows import step (after staging the file).
fn keytool_line(step: &cce::PlanStep) -> &str {
    step.commands
        .iter()
        .find(|c| c.starts_with("keytool "))
        .unwrap_or_else(|| panic!("no keytool line in {:?}", step.commands))
}

/// Does what an administrator does with a VOS or CTI step: copies the certificate the plan
/// names into the collected folder (the upload), so the re-audit sees the new state.
fn upload_folder_steps(plan: &cce::Plan, lab: &Lab, kind: &str) {
    for (h, s) in plan.steps() {
        if let (Some(cert), Some(name)) = (&s.certificate, &s.file_name) {
            let dir = lab.store_dir(&h.fqdn, kind);
            if dir.is_dir() && s.kind == StepKind::Import {
                std::fs::write(dir.join(name), cert.to_pem()).unwrap();
            }
        }
    }
}

#[test]
fn pcce_12_5_self_signed_exchange() {
    // AW A/B, Rogger A/B, a PG and a CVP with empty stores: every IIS/DFP, WSM and ADS IIS
    // certificate must be exchanged under the conventional aliases.
    let mut lab = Lab::new("pcce", "12.5", "size = 2000");
    let empty: &[(&str, &str)] = &[];
    lab.host(H {
        fqdn: &format!("awa.{D}"),
        roles: &["aw"],
        extra: "side = \"A\"",
        presents: &[("iis", "ss/awa.pem")],
        stores: &[("cacerts", "", empty)],
    });
    lab.host(H {
        fqdn: &format!("awb.{D}"),
        roles: &["aw"],
        extra: "side = \"B\"",
        presents: &[("iis", "ss/awb.pem")],
        stores: &[("cacerts", "", empty)],
    });
    lab.host(H {
        fqdn: &format!("rgra.{D}"),
        roles: &["rogger"],
        extra: "",
        presents: &[("iis", "ss/rgra.pem"), ("dfp", "ss/rgra-dfp.pem")],
        stores: &[("cacerts", "", empty)],
    });
    lab.host(H {
        fqdn: &format!("pga.{D}"),
        roles: &["pg"],
        extra: "",
        presents: &[("iis", "ss/pga.pem")],
        stores: &[],
    });
    lab.host(H {
        fqdn: &format!("cvpa.{D}"),
        roles: &["cvp"],
        extra: "",
        presents: &[("wsm", "ss/cvpa.pem")],
        stores: &[("cvp-keystore", "format = \"jceks\"", empty)],
    });
    let (_, a, p) = lab.audit();
    // awa: its own IIS, awb IIS, rgra IIS+DFP, pga IIS, cvpa WSM; awb the same with awa;
    // rgra: awa, awb; cvpa: awa, awb.
    assert_eq!(
        count(&a, Code::ChainUntrusted),
        16,
        "{:#?}",
        a.findings.iter().map(|f| &f.message).collect::<Vec<_>>()
    );
    let awa = p
        .hosts
        .iter()
        .find(|h| h.fqdn == format!("awa.{D}"))
        .unwrap();
    let mut aliases: Vec<&str> = awa
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::Import)
        .map(|s| s.title.split('`').nth(1).unwrap())
        .collect();
    aliases.sort();
    assert_eq!(
        aliases,
        [
            "awa.t.example.com_IIS",
            "awb.t.example.com_IIS",
            "cvpa.t.example.com",
            "pga.t.example.com_IIS",
            "rgra.t.example.com_DFP",
            "rgra.t.example.com_IIS"
        ]
    );
    assert_eq!(awa.steps.first().unwrap().kind, StepKind::Backup);
    assert!(awa.steps.last().unwrap().commands[0].contains("Apache Tomcat"));
    let cvp = p
        .hosts
        .iter()
        .find(|h| h.fqdn == format!("cvpa.{D}"))
        .unwrap();
    let import = cvp
        .steps
        .iter()
        .find(|s| s.kind == StepKind::Import)
        .unwrap();
    assert!(
        keytool_line(import)
            .contains(r#"-keystore "%CVP_HOME%\conf\security\keystore" -storetype JCEKS"#),
        "{}",
        keytool_line(import)
    );
    assert!(keytool_line(import).contains("-trustcacerts"));
    // The file is staged with commands cmd.exe runs as written: the folder, then the copy.
    assert_eq!(
        import.commands[0],
        r"if not exist C:\ccetrust mkdir C:\ccetrust"
    );
    let copy: Vec<&str> = import.commands[1].split(' ').collect();
    assert_eq!(
        (copy[0], copy.len(), copy[2]),
        ("copy", 3, r"C:\ccetrust\"),
        "{}",
        import.commands[1]
    );
    assert!(keytool_line(import).contains(&format!(
        r#"-file "C:\ccetrust\{}""#,
        copy[1].trim_matches('"')
    )));
    assert!(cvp.steps[0].commands[0].starts_with(r#"xcopy "%CVP_HOME%\conf\security""#));

    // Carry it out, audit again: nothing left.
    let inv = lab.inventory();
    let report = cce::apply(&inv, &p).unwrap();
    assert_eq!(report.applied.len(), 16);
    assert_eq!(report.backups.len(), 4);
    assert!(report.backups.iter().all(|b| b.is_dir()));
    let (_, a2, p2) = lab.audit();
    assert!(!has(&a2, Code::ChainUntrusted), "{:?}", codes(&a2));
    assert!(p2.is_empty(), "{}", cce::render::plan_text(&p2));
    assert!(a2
        .edges
        .iter()
        .all(|e| matches!(e.status, EdgeStatus::Trusted | EdgeStatus::Unknown)));
    assert_eq!(
        a2.edges
            .iter()
            .filter(|e| e.status == EdgeStatus::Trusted)
            .count(),
        16
    );
}

#[test]
fn finesse_cuic_ca_signed_exchange_on_publishers_only() {
    let mut lab = Lab::new("pcce", "12.5", &ca_files());
    let empty: &[(&str, &str)] = &[];
    for (h, node) in [("fina", "publisher"), ("finb", "subscriber")] {
        let extra = format!("cluster = \"finesse\"\nnode = \"{node}\"");
        let stores: &[Store] = if node == "publisher" {
            &[("tomcat-trust", "", empty)]
        } else {
            &[]
        };
        lab.host(H {
            fqdn: &format!("{h}.{D}"),
            roles: &["finesse"],
            extra: &extra,
            presents: &[("tomcat", &format!("ca/{h}.pem"))],
            stores,
        });
    }
    for (h, node) in [("cuica", "publisher"), ("cuicb", "subscriber")] {
        let extra = format!("cluster = \"cuic\"\nnode = \"{node}\"");
        let stores: &[Store] = if node == "publisher" {
            &[("tomcat-trust", "", empty)]
        } else {
            &[]
        };
        lab.host(H {
            fqdn: &format!("{h}.{D}"),
            roles: &["cuic"],
            extra: &extra,
            presents: &[("tomcat", &format!("ca/{h}.pem"))],
            stores,
        });
    }
    let (_, a, p) = lab.audit();
    // Each publisher's replicated store lacks the other cluster's CA: one finding per server
    // and per node that must trust it (the subscribers judged with their publisher's replica).
    assert_eq!(count(&a, Code::ChainUntrusted), 8);
    assert!(a
        .with_code(Code::ChainUntrusted)
        .any(|f| f.host == format!("finb.{D}")
            && f.store
                .as_deref()
                .is_some_and(|s| s.ends_with(&format!("on fina.{D}")))));
    // The collapse: one root upload per publisher, nothing on subscribers.
    assert_eq!(
        p.hosts.iter().map(|h| h.fqdn.as_str()).collect::<Vec<_>>(),
        [format!("fina.{D}"), format!("cuica.{D}")]
    );
    for h in &p.hosts {
        let imports: Vec<_> = h
            .steps
            .iter()
            .filter(|s| s.kind == StepKind::Import)
            .collect();
        assert_eq!(
            imports.len(),
            1,
            "{:?}",
            imports.iter().map(|s| &s.title).collect::<Vec<_>>()
        );
        assert!(
            imports[0].title.contains("root CA `test-root-ca`")
                && imports[0].title.contains("tomcat-trust")
        );
        assert!(imports[0].title.contains("replicates to subscribers"));
        assert!(imports[0].commands[0].contains("Certificate Purpose = tomcat-trust"));
        assert!(
            !imports[0].executable(),
            "a VOS upload happens on the appliance"
        );
        assert!(h.steps.last().unwrap().commands[0].starts_with("utils system restart"));
    }
    upload_folder_steps(&p, &lab, "tomcat-trust");
    let (_, a2, p2) = lab.audit();
    assert!(!has(&a2, Code::ChainUntrusted), "{:?}", codes(&a2));
    assert!(p2.is_empty());
}

#[test]
fn vos_upload_order_is_root_then_intermediate_when_servers_send_only_their_leaf() {
    let mut lab = Lab::new("pcce", "12.5", &ca_files());
    let empty: &[(&str, &str)] = &[];
    lab.host(H {
        fqdn: &format!("fina.{D}"),
        roles: &["finesse"],
        extra: "cluster = \"f\"\nnode = \"publisher\"",
        presents: &[("tomcat", "ca/fina-leaf.pem")],
        stores: &[("tomcat-trust", "", empty)],
    });
    lab.host(H {
        fqdn: &format!("cuica.{D}"),
        roles: &["cuic"],
        extra: "",
        presents: &[("tomcat", "ca/cuica-leaf.pem")],
        stores: &[],
    });
    let (_, a, p) = lab.audit();
    assert!(has(&a, Code::ChainIncomplete));
    let titles: Vec<&str> = p.hosts[0]
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::Import)
        .map(|s| s.title.as_str())
        .collect();
    assert_eq!(titles.len(), 2);
    assert!(titles[0].contains("root CA"), "{titles:?}");
    assert!(titles[1].contains("intermediate CA"), "{titles:?}");
}

#[test]
fn ece_and_pcce() {
    // The AW trusts the ECE web server's self-signed IIS certificate as `{fqdn}`; the ECE
    // application server's LDAPS JKS trusts the AD CA once (-trustcacerts, its own path).
    let mut lab = Lab::new("pcce", "12.5", &ca_files());
    let empty: &[(&str, &str)] = &[];
    lab.host(H {
        fqdn: &format!("awa.{D}"),
        roles: &["aw"],
        extra: "",
        presents: &[],
        stores: &[("cacerts", "", empty)],
    });
    lab.host(H {
        fqdn: &format!("eceweb.{D}"),
        roles: &["ece-web"],
        extra: "[host.iis_binding]\nhost_name = \"\"\nsni_required = false",
        presents: &[("iis", "ss/eceweb.pem")],
        stores: &[],
    });
    lab.host(H {
        fqdn: &format!("eceapp.{D}"),
        roles: &["ece-app"],
        extra: "",
        presents: &[],
        stores: &[(
            "ece-ldaps",
            "server_path = 'C:\\ece\\pcce\\mydomain.jks'",
            empty,
        )],
    });
    lab.host(H {
        fqdn: &format!("dc1.{D}"),
        roles: &["ad-gc"],
        extra: "",
        presents: &[("ldaps", "ca/dc1.pem")],
        stores: &[],
    });
    let (inv, a, p) = lab.audit();
    assert_eq!(count(&a, Code::ChainUntrusted), 2);
    let aw = p
        .hosts
        .iter()
        .find(|h| h.fqdn == format!("awa.{D}"))
        .unwrap();
    let imp = aw
        .steps
        .iter()
        .find(|s| s.kind == StepKind::Import)
        .unwrap();
    assert!(
        keytool_line(imp).contains("-alias \"eceweb.t.example.com\" "),
        "{}",
        keytool_line(imp)
    );
    assert!(keytool_line(imp).contains(
        r#""C:\Program Files (x86)\Java\jre1.8.0_221\lib\security\cacerts" -storepass changeit"#
    ));
    let ece = p
        .hosts
        .iter()
        .find(|h| h.fqdn == format!("eceapp.{D}"))
        .unwrap();
    let imp = ece
        .steps
        .iter()
        .find(|s| s.kind == StepKind::Import)
        .unwrap();
    assert!(
        keytool_line(imp).contains(
            r#"-trustcacerts -keystore "C:\ece\pcce\mydomain.jks" -alias "test-root-ca""#
        ),
        "{}",
        keytool_line(imp)
    );
    assert!(
        !keytool_line(imp).contains("-storepass"),
        "a chosen password is never printed"
    );
    cce::apply(&inv, &p).unwrap();
    let (_, a2, p2) = lab.audit();
    assert!(!has(&a2, Code::ChainUntrusted), "{:?}", codes(&a2));
    assert!(p2.is_empty());
}

#[test]
fn uccx_and_socialminer() {
    let mut lab = Lab::new("uccx", "12.5", "");
    let empty: &[(&str, &str)] = &[];
    lab.host(H {
        fqdn: &format!("uccxa.{D}"),
        roles: &["uccx"],
        extra: "cluster = \"uccx\"\nnode = \"publisher\"",
        presents: &[("tomcat", "ss/uccxa.pem")],
        stores: &[("tomcat-trust", "", empty)],
    });
    lab.host(H {
        fqdn: &format!("uccxb.{D}"),
        roles: &["uccx"],
        extra: "cluster = \"uccx\"\nnode = \"subscriber\"",
        presents: &[("tomcat", "ss/uccxb.pem")],
        stores: &[],
    });
    lab.host(H {
        fqdn: &format!("sm.{D}"),
        roles: &["socialminer"],
        extra: "",
        presents: &[("tomcat", "ss/sm.pem")],
        stores: &[(
            "tomcat-trust",
            "",
            &[("uccxa.t.example.com", "ss/uccxa.pem")],
        )],
    });
    lab.host(H {
        fqdn: &format!("cucm.{D}"),
        roles: &["cucm"],
        extra: "",
        presents: &[("tomcat", "ss/cucm.pem")],
        stores: &[],
    });
    let (_, a, p) = lab.audit();
    let pairs: Vec<(String, String)> = a
        .with_code(Code::ChainUntrusted)
        .map(|f| (f.importer.clone().unwrap(), f.exporter.clone().unwrap()))
        .collect();
    assert!(pairs.contains(&(format!("uccxa.{D}"), format!("sm.{D}"))));
    assert!(pairs.contains(&(format!("uccxa.{D}"), format!("cucm.{D}"))));
    assert!(pairs.contains(&(format!("sm.{D}"), format!("uccxb.{D}"))));
    // The subscriber is an importer too, with its publisher's replicated store.
    assert!(pairs.contains(&(format!("uccxb.{D}"), format!("sm.{D}"))));
    assert!(pairs.contains(&(format!("uccxb.{D}"), format!("cucm.{D}"))));
    assert_eq!(pairs.len(), 5, "{pairs:?}");
    // Uploads happen on the UCCX publisher (replicated) and on SocialMiner, nowhere else.
    let hosts: Vec<&str> = p.hosts.iter().map(|h| h.fqdn.as_str()).collect();
    assert_eq!(hosts, [format!("uccxa.{D}"), format!("sm.{D}")]);
    let uccx_restart = &p.hosts[0].steps.last().unwrap().commands[0];
    assert!(
        uccx_restart.contains("cluster uccx") && uccx_restart.contains("CCX Engine"),
        "{uccx_restart}"
    );
    upload_folder_steps(&p, &lab, "tomcat-trust");
    let (_, a2, p2) = lab.audit();
    assert!(!has(&a2, Code::ChainUntrusted), "{:?}", codes(&a2));
    assert!(p2.is_empty());
}

#[test]
fn cti_server_and_finesse_mutual_tls() {
    let mut lab = Lab::new("pcce", "12.5", &format!("{}\nsystem_id = 3", ca_files()));
    let empty: &[(&str, &str)] = &[];
    lab.host(H {
        fqdn: &format!("pga.{D}"),
        roles: &["pg", "cti"],
        extra: "",
        presents: &[("cti", "ca/pga-cti.pem")],
        stores: &[("cti-certs", "", empty)],
    });
    lab.host(H {
        fqdn: &format!("fina.{D}"),
        roles: &["finesse"],
        extra: "cluster = \"f\"\nnode = \"publisher\"",
        presents: &[("tomcat", "ca/fina.pem")],
        stores: &[("tomcat-trust", "", empty)],
    });
    let (inv, a, p) = lab.audit();
    assert_eq!(count(&a, Code::ChainUntrusted), 2);
    assert!(!has(&a, Code::EkuMissingClientServer));
    let pg = p
        .hosts
        .iter()
        .find(|h| h.fqdn == format!("pga.{D}"))
        .unwrap();
    let imp = pg
        .steps
        .iter()
        .find(|s| s.kind == StepKind::Import)
        .unwrap();
    assert!(
        imp.commands
            .iter()
            .any(|c| c.starts_with(r#"CiscoCertUtil /install "C:\ccetrust\test-root-ca.pem""#)),
        "{:?}",
        imp.commands
    );
    assert!(pg.steps.last().unwrap().commands[0].contains("PG service"));
    // The CTI server's secure port for system ID 3.
    let doc = cce::render::json(&inv, &a, &p);
    let port = doc["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["service"] == "cti")
        .unwrap()["port"]
        .clone();
    assert_eq!(port, 46030);
    // A server-only template breaks the rule.
    let mut lab = Lab::new("pcce", "12.5", &ca_files());
    lab.host(H {
        fqdn: &format!("pgb.{D}"),
        roles: &["pg", "cti"],
        extra: "",
        presents: &[("cti", "ca/pgb-cti-serveronly.pem")],
        stores: &[],
    });
    let (_, a, p) = lab.audit();
    assert!(has(&a, Code::EkuMissingClientServer));
    assert!(p.steps().any(|(_, s)| s.kind == StepKind::Reissue
        && s.commands
            .iter()
            .any(|c| c.contains("CiscoCertUtil /generateCSR"))));
}

/// The example deployments, copied to a temporary folder: `apply`, then audit again. Every
/// finding the applied steps addressed is gone, and only instructions remain in the plan. Then
/// the uploads an administrator makes by hand (VOS, CTI, desktop folders): no import or delete
/// is left, only what waits for a server's new certificate.
#[test]
fn apply_then_audit_on_the_examples() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    for example in ["pcce-2k-lab", "ca-signed", "uccx"] {
        let src = root.join(example);
        if !src.join("inventory.toml").is_file() {
            panic!("missing example {example}");
        }
        let dir = temp_dir(example);
        copy_dir(&src, &dir);
        let inv = cce::Inventory::load(&dir.join("inventory.toml")).unwrap();
        let at = ccetrust::Timestamp::parse_rfc3339(
            std::fs::read_to_string(dir.join("GENERATED_AT"))
                .unwrap()
                .trim(),
        )
        .unwrap()
        .plus_days(1);
        let opts = cce::AuditOptions {
            at,
            expiring_days: 60,
        };
        let (before, plan) = cce::run(&inv, &opts).unwrap();
        assert!(
            !before.findings.is_empty(),
            "{example} has problems on purpose"
        );
        let applied: Vec<(String, Vec<Code>)> = plan
            .steps()
            .filter(|(_, s)| s.executable() && s.kind != StepKind::Backup)
            .map(|(h, s)| (h.fqdn.clone(), s.fixes.clone()))
            .collect();
        cce::apply_at(&inv, &plan, at).unwrap();
        let (after, plan2) = cce::run(&inv, &opts).unwrap();
        assert!(
            plan2.steps().all(|(_, s)| !s.executable()),
            "{example}: {}",
            cce::render::plan_text(&plan2)
        );
        // No finding of a kind an applied step fixed remains on the hosts it fixed it on.
        for (host, fixed) in &applied {
            for f in &after.findings {
                assert!(
                    !(f.host == *host
                        && fixed.contains(&f.code)
                        && matches!(
                            f.code,
                            Code::ChainUntrusted
                                | Code::ChainIncomplete
                                | Code::StoreDuplicate
                                | Code::StoreStaleAlias
                        )),
                    "{example}: {} {} remains",
                    f.code,
                    f.message
                );
            }
        }
        // Idempotent: applying the new plan changes nothing.
        let report = cce::apply(&inv, &plan2).unwrap();
        assert!(report.applied.is_empty());
        // The administrator's part that needs no new certificate: the uploads to folder
        // stores (VOS tomcat-trust, the CTI certificates folder, a desktop's roots), done as
        // the collected copy would show them. Then every import and delete is done, and
        // what is left waits for a server to regenerate or re-issue its certificate.
        let mut uploads = 0;
        for (h, s) in plan2.steps() {
            if let (StepKind::Import, Some(cert), Some(name)) =
                (s.kind, &s.certificate, &s.file_name)
            {
                let host = &inv.hosts[h.host];
                let folders: Vec<_> = host.stores.iter().filter(|st| st.path.is_dir()).collect();
                assert_eq!(folders.len(), 1, "{example}: {}: {}", h.fqdn, s.title);
                std::fs::write(folders[0].path.join(name), cert.to_pem()).unwrap();
                uploads += 1;
            }
        }
        assert!(uploads > 0, "{example} has an upload to make by hand");
        let (after, plan3) = cce::run(&inv, &opts).unwrap();
        let left: Vec<_> = plan3
            .steps()
            .filter(|(_, s)| matches!(s.kind, StepKind::Import | StepKind::Delete))
            .map(|(h, s)| format!("{}: {}", h.fqdn, s.title))
            .collect();
        assert!(left.is_empty(), "{example}: {left:#?}");
        for f in &after.findings {
            if matches!(
                f.code,
                Code::ChainUntrusted
                    | Code::ChainIncomplete
                    | Code::StoreDuplicate
                    | Code::StoreStaleAlias
            ) {
                assert!(
                    !f.fix.is_empty()
                        && f.fix
                            .iter()
                            .all(|x| matches!(x, cce::finding::Fix::ImportAfterReissue { .. })),
                    "{example}: {} {} is left without waiting for a new certificate",
                    f.code,
                    f.message
                );
            }
        }
        // keytool still reads every keystore ccetrust wrote.
        if std::process::Command::new("keytool")
            .arg("-help")
            .output()
            .is_ok()
        {
            for h in &inv.hosts {
                for s in h.stores.iter().filter(|s| s.path.is_file()) {
                    let pw = cce::evidence::password(s.kind, &s.password).unwrap();
                    let out = std::process::Command::new("keytool")
                        .args(["-list", "-keystore"])
                        .arg(&s.path)
                        .args(["-storepass", pw.as_str()])
                        .output()
                        .unwrap();
                    assert!(
                        out.status.success(),
                        "keytool -list {}: {}",
                        s.path.display(),
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
            }
        } else {
            tool_support::missing("`keytool` is not on PATH, needed for the keytool read-back");
        }
    }
}

/// The CUCM PG downloads the JTAPI client from the CUCM publisher only: one relationship,
/// to the publisher (not its subscriber), imported into the PG's `cacerts` as `{fqdn}`.
#[test]
fn cucm_pg_trusts_the_cucm_publisher_only() {
    let empty: &[(&str, &str)] = &[];
    let mut lab = Lab::new("pcce", "12.5", "");
    lab.host(H {
        fqdn: &format!("pga.{D}"),
        roles: &["pg", "cucm-pg"],
        extra: "",
        presents: &[],
        stores: &[("cacerts", "", empty)],
    });
    lab.host(H {
        fqdn: &format!("cucm.{D}"),
        roles: &["cucm"],
        extra: "cluster = \"cucm\"\nnode = \"publisher\"",
        presents: &[("tomcat", "ss/cucm.pem")],
        stores: &[],
    });
    lab.host(H {
        fqdn: &format!("cucm2.{D}"),
        roles: &["cucm"],
        extra: "cluster = \"cucm\"\nnode = \"subscriber\"",
        presents: &[],
        stores: &[],
    });
    let (inv, a, p) = lab.audit();
    let edges: Vec<_> = a
        .edges
        .iter()
        .filter(|e| e.requirement == "cucm-pg.trusts.cucm")
        .collect();
    assert_eq!(edges.len(), 1, "{edges:#?}");
    assert_eq!(inv.hosts[edges[0].exporter].fqdn, format!("cucm.{D}"));
    assert_eq!(edges[0].status, EdgeStatus::Untrusted);
    let import = p.steps().find(|(_, s)| s.kind == StepKind::Import).unwrap();
    assert_eq!(import.0.fqdn, format!("pga.{D}"));
    assert!(
        import.1.commands.iter().any(|c| c.contains(
            r#"-keystore "C:\Program Files (x86)\Java\jre1.8.0_221\lib\security\cacerts" -storepass changeit -alias "cucm.t.example.com""#
        )),
        "{:?}",
        import.1.commands
    );
    cce::apply(&inv, &p).unwrap();
    let (_, a2, p2) = lab.audit();
    assert!(a2
        .edges
        .iter()
        .filter(|e| e.requirement == "cucm-pg.trusts.cucm")
        .all(|e| e.status == EdgeStatus::Trusted));
    assert!(p2.is_empty(), "{}", cce::render::plan_text(&p2));
}

/// CVP trusts VVB's tomcat in its JCEKS keystore (`{fqdn}`, -storetype JCEKS -trustcacerts);
/// VVB trusts CVP's VXML and Call Server certificates (made by keytool in the PCCE lab) in its
/// tomcat-trust, each uploaded under its CN; then restarts on both sides.
#[test]
fn cvp_and_vvb_exchange() {
    let empty: &[(&str, &str)] = &[];
    let lab_cert = |f: &str| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../examples/pcce-2k-lab/presented")
            .join(f)
            .display()
            .to_string()
    };
    let mut lab = Lab::new("pcce", "12.5", "");
    lab.host(H {
        fqdn: "cvpa.lab.example.com",
        roles: &["cvp"],
        extra: "",
        presents: &[],
        stores: &[("cvp-keystore", "", empty)],
    });
    lab.toml.push_str(&format!(
        "[host.presents]\nvxml = '{}'\ncallserver = '{}'\n\n",
        lab_cert("cvpa-vxml.pem"),
        lab_cert("cvpa-callserver.pem")
    ));
    lab.host(H {
        fqdn: &format!("vvb.{D}"),
        roles: &["vvb"],
        extra: "",
        presents: &[("tomcat", "ss/vvb.pem")],
        stores: &[("tomcat-trust", "", empty)],
    });
    let (inv, a, p) = lab.audit();
    let untrusted: Vec<_> = a
        .with_code(Code::ChainUntrusted)
        .map(|f| (f.host.as_str(), f.service.map(|s| s.key())))
        .collect();
    assert_eq!(
        untrusted.len(),
        3,
        "{:#?}",
        a.findings.iter().map(|f| &f.message).collect::<Vec<_>>()
    );
    assert!(untrusted.contains(&("cvpa.lab.example.com", Some("tomcat"))));
    assert!(untrusted.contains(&(&format!("vvb.{D}")[..], Some("vxml"))));
    assert!(untrusted.contains(&(&format!("vvb.{D}")[..], Some("callserver"))));
    let host = |f: &str| p.hosts.iter().find(|h| h.fqdn == f).unwrap();
    let cvp = host("cvpa.lab.example.com");
    let kinds: Vec<StepKind> = cvp.steps.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [StepKind::Backup, StepKind::Import, StepKind::Restart]
    );
    assert!(cvp.steps[1].commands.iter().any(|c| c.contains(
        r#"-trustcacerts -keystore "%CVP_HOME%\conf\security\keystore" -storetype JCEKS -alias "vvb.t.example.com""#
    )));
    assert!(cvp.steps[2].commands[0].contains("CVP Call Server"));
    let vvb = host(&format!("vvb.{D}"));
    let uploads: Vec<_> = vvb
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::Import)
        .collect();
    assert_eq!(uploads.len(), 2, "one upload per certificate");
    // Both carry CN=cvpa.lab.example.com: the second is named apart, or one upload would
    // replace the other.
    let files: Vec<_> = uploads
        .iter()
        .map(|u| u.file_name.as_deref().unwrap())
        .collect();
    assert_eq!(
        files,
        [
            "cvpa.lab.example.com.pem",
            "cvpa.lab.example.com_callserver.pem"
        ]
    );
    for u in &uploads {
        assert!(u.title.contains("tomcat-trust"), "{}", u.title);
        assert!(u.commands[0].contains("Certificate Purpose = tomcat-trust"));
    }
    assert!(vvb.steps.last().unwrap().commands[0].starts_with("utils system restart"));
    cce::apply(&inv, &p).unwrap();
    upload_folder_steps(&p, &lab, "tomcat-trust");
    let (_, a2, p2) = lab.audit();
    assert!(!has(&a2, Code::ChainUntrusted), "{:?}", codes(&a2));
    assert!(p2.is_empty(), "{}", cce::render::plan_text(&p2));
}

/// Splits a command line as `cmd.exe` would for keytool: spaces separate, double quotes group.
fn split_command(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            _ => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(cur);
    }
    out
}

/// Runs one `keytool` line of the plan as the administrator would on `host`, against the
/// collected copy: the store's server path becomes the copy's path, `C:\ccetrust\NAME` the
/// file `plan --out` wrote (or the export goes) under `files/<host>/`, and the store password
/// keytool prompts for is given with `-storepass` (a prompt for a new key's password is
/// answered with RETURN, "same as the keystore password", as on a CVP server).
fn run_keytool_line(line: &str, host: &cce::inventory::Host, files: &Path) -> std::process::Output {
    let mut args = split_command(line);
    assert_eq!(args.remove(0), "keytool", "{line}");
    let mut store = None;
    for i in 0..args.len() {
        if i > 0 && args[i - 1] == "-keystore" {
            let s = host
                .stores
                .iter()
                .find(|s| {
                    s.server_path
                        .clone()
                        .unwrap_or_else(|| s.kind.info().default_path.to_string())
                        == args[i]
                })
                .unwrap_or_else(|| panic!("{}: no store at {}", host.fqdn, args[i]));
            args[i] = s.path.display().to_string();
            store = Some(s);
        }
        if i > 0 && args[i - 1] == "-file" {
            let name = args[i]
                .strip_prefix(r"C:\ccetrust\")
                .unwrap_or_else(|| panic!("{line}"));
            args[i] = files.join(&host.fqdn).join(name).display().to_string();
        }
    }
    let store = store.unwrap_or_else(|| panic!("no -keystore in {line}"));
    if !args.iter().any(|a| a == "-storepass") {
        let pw = cce::evidence::password(store.kind, &store.password).unwrap();
        args.push("-storepass".into());
        args.push(pw.as_str().to_string());
    }
    std::fs::create_dir_all(files.join(&host.fqdn)).unwrap();
    let mut child = std::process::Command::new("keytool")
        .args(&args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"\n").unwrap();
    child.wait_with_output().unwrap()
}

/// Runs every keytool line of the plan's steps of `kinds` (a conditional delete, "if the
/// alias holds the old certificate", may find nothing to delete).
fn run_keytool_steps(
    inv: &cce::Inventory,
    plan: &cce::Plan,
    files: &Path,
    kinds: &[StepKind],
) -> usize {
    cce::apply::write_files(plan, files).unwrap();
    let mut ran = 0;
    for (h, s) in plan.steps() {
        if !kinds.contains(&s.kind) {
            continue;
        }
        for c in s.commands.iter().filter(|c| c.starts_with("keytool ")) {
            let (line, conditional) = match c.split_once("   (if ") {
                Some((l, _)) => (l, true),
                None => (c.as_str(), false),
            };
            let out = run_keytool_line(line, &inv.hosts[h.host], files);
            assert!(
                out.status.success() || conditional,
                "{line}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            ran += 1;
        }
    }
    ran
}

/// The plan's keytool commands, run by keytool itself on a copy of the PCCE lab instead of
/// `ccetrust apply`: the imports and deletes on `cacerts`, the CVP JCEKS keystore and the ECE
/// LDAPS JKS, and the regeneration of cvpb's expired WSM certificate (`genkeypair`, export),
/// whose new certificate then replaces the exported one and is imported where the plan says.
/// Afterwards no keystore step is left, and the regenerated certificate is what the vendor's
/// procedure asks for: CN = the FQDN (also as a DNS SAN), RSA 2048, SHA-256, 1825 days.
#[test]
fn the_plan_keytool_commands_run_under_keytool() {
    if !tool_support::require(
        "keytool",
        "the keytool run of the plan (a JDK 17 provides it)",
    ) {
        return;
    }
    let dir = temp_dir("keytool-plan");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/pcce-2k-lab"),
        &dir,
    );
    let inv = cce::Inventory::load(&dir.join("inventory.toml")).unwrap();
    let at = ccetrust::Timestamp::parse_rfc3339(
        std::fs::read_to_string(dir.join("GENERATED_AT"))
            .unwrap()
            .trim(),
    )
    .unwrap()
    .plus_days(1)
    // keytool and openssl make the new certificates valid from now: audit after that.
    .max(ccetrust::Timestamp::now().plus_days(1));
    let opts = cce::AuditOptions {
        at,
        expiring_days: 60,
    };
    let keystore_steps = |p: &cce::Plan| -> Vec<String> {
        p.steps()
            .filter(|(_, s)| {
                matches!(
                    s.kind,
                    StepKind::Import | StepKind::Delete | StepKind::Regenerate
                ) && s.commands.iter().any(|c| c.starts_with("keytool "))
            })
            .map(|(h, s)| format!("{}: {}", h.fqdn, s.title))
            .collect()
    };
    let (a, p) = cce::run(&inv, &opts).unwrap();
    let cvpb = "cvpb.lab.example.com".to_string();
    assert!(a.with_code(Code::ValidityExpired).any(|f| f.host == cvpb));
    let files = dir.join("files");
    // 1. The imports and deletes, and the regeneration on cvpb.
    let ran = run_keytool_steps(
        &inv,
        &p,
        &files,
        &[StepKind::Delete, StepKind::Import, StepKind::Regenerate],
    );
    assert!(ran >= 7, "{ran} keytool commands");
    // cvpb's exported certificate is what it now presents.
    let exported = files.join(&cvpb).join(format!("{cvpb}_wsm.crt"));
    let new = ccetrust::load_certificates(&std::fs::read(&exported).unwrap())
        .unwrap()
        .remove(0);
    assert_eq!(new.common_name().as_deref(), Some(cvpb.as_str()));
    assert_eq!(new.subject_alt_names().dns, vec![cvpb.clone()]);
    assert_eq!(new.public_key().bits, Some(2048));
    assert!(new
        .signature_algorithm()
        .to_ascii_lowercase()
        .contains("sha256"));
    let days = (new.not_after().unix() - new.not_before().unix()) / 86_400;
    assert_eq!(days, 1825);
    let h = inv.hosts.iter().find(|h| h.fqdn == cvpb).unwrap();
    let wsm = h
        .presents
        .iter()
        .find(|f| f.service.key() == "wsm")
        .unwrap();
    std::fs::copy(&exported, &wsm.path).unwrap();
    // 2. What the new certificate needs: the AWs replace the old one.
    let (a2, p2) = cce::run(&inv, &opts).unwrap();
    assert!(
        !a2.findings
            .iter()
            .any(|f| f.host == cvpb && f.code == Code::ValidityExpired),
        "regenerated"
    );
    assert!(
        a2.with_code(Code::StoreStaleAlias)
            .any(|f| f.exporter.as_deref() == Some(cvpb.as_str())),
        "the AWs still hold the expired certificate under its alias"
    );
    run_keytool_steps(&inv, &p2, &files, &[StepKind::Delete, StepKind::Import]);
    // 3. Nothing is left for keytool; cvpb is trusted wherever it must be.
    let (a3, p3) = cce::run(&inv, &opts).unwrap();
    let left = keystore_steps(&p3);
    assert!(left.is_empty(), "{left:#?}");
    let from_cvpb: Vec<_> = a3
        .edges
        .iter()
        .filter(|e| inv.hosts[e.exporter].fqdn == cvpb)
        .collect();
    assert!(!from_cvpb.is_empty());
    assert!(
        from_cvpb.iter().all(|e| e.status == EdgeStatus::Trusted),
        "{from_cvpb:#?}"
    );
}

/// The whole plan of the PCCE lab and of the UCCX example carried out as an administrator
/// would, with the real tools, round after round until the plan is empty: keytool runs the
/// plan's own keytool lines (imports, deletes, cvpb's `genkeypair` and export); openssl makes
/// the new certificates the plan asks a server for (CN = the FQDN, DNS SAN, RSA 2048, SHA-256;
/// on VOS what `set cert regen tomcat` gives); the VOS and desktop uploads are copied into the
/// collected folders. Three rounds at most (fix, then import what the fix made), and at the
/// end no finding is left and the plan is empty. (The CA-signed example is left out: its
/// re-issue needs the corporate CA's key, which its gen.sh does not keep.)
#[test]
fn the_example_plans_carried_out_with_the_real_tools_end_empty() {
    if !tool_support::require("keytool", "the examples run by hand")
        || !tool_support::require("openssl", "the examples run by hand")
    {
        return;
    }
    for example in ["pcce-2k-lab", "uccx"] {
        carry_out_by_hand(example);
    }
}

fn carry_out_by_hand(example: &str) {
    let dir = temp_dir(&format!("{example}-by-hand"));
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../examples")
            .join(example),
        &dir,
    );
    let inv = cce::Inventory::load(&dir.join("inventory.toml")).unwrap();
    let at = ccetrust::Timestamp::parse_rfc3339(
        std::fs::read_to_string(dir.join("GENERATED_AT"))
            .unwrap()
            .trim(),
    )
    .unwrap()
    .plus_days(1)
    // keytool and openssl make the new certificates valid from now: audit after that.
    .max(ccetrust::Timestamp::now().plus_days(1));
    let opts = cce::AuditOptions {
        at,
        expiring_days: 60,
    };
    let files = dir.join("files");
    let mut rounds = 0;
    let (last, plan) = loop {
        let (a, p) = cce::run(&inv, &opts).unwrap();
        if p.is_empty() || rounds == 3 {
            break (a, p);
        }
        rounds += 1;
        run_keytool_steps(
            &inv,
            &p,
            &files,
            &[StepKind::Delete, StepKind::Import, StepKind::Regenerate],
        );
        // Uploads to folder stores (VOS tomcat-trust, a desktop's roots).
        for (h, s) in p.steps() {
            if let (StepKind::Import, Some(cert), Some(name)) =
                (s.kind, &s.certificate, &s.file_name)
            {
                for st in inv.hosts[h.host]
                    .stores
                    .iter()
                    .filter(|st| st.path.is_dir())
                {
                    std::fs::write(st.path.join(name), cert.to_pem()).unwrap();
                }
            }
        }
        // What the servers now present: a CVP certificate the plan's keytool lines
        // regenerated and exported, or a new certificate where the plan asks for one.
        let mut done = std::collections::BTreeSet::new();
        for f in &a.findings {
            for fix in &f.fix {
                let (host, service) = match fix {
                    cce::finding::Fix::Regenerate { host, service }
                    | cce::finding::Fix::Reissue { host, service, .. } => (*host, *service),
                    _ => continue,
                };
                if !done.insert((host, service)) {
                    continue;
                }
                let h = &inv.hosts[host];
                let presented = &h
                    .presents
                    .iter()
                    .find(|p| p.service == service)
                    .unwrap()
                    .path;
                let exported =
                    files
                        .join(&h.fqdn)
                        .join(format!("{}_{}.crt", h.fqdn, service.key()));
                if exported.is_file() {
                    std::fs::copy(&exported, presented).unwrap();
                    continue;
                }
                let key = dir.join(format!("{}-{}.key", h.fqdn, service.key()));
                let out = std::process::Command::new("openssl")
                    .args(["req", "-x509", "-newkey", "rsa:2048", "-sha256", "-nodes"])
                    .args(["-days", "1825", "-subj", &format!("/CN={}", h.fqdn)])
                    .args(["-addext", &format!("subjectAltName=DNS:{}", h.fqdn)])
                    .args(["-addext", "extendedKeyUsage=serverAuth,clientAuth"])
                    .arg("-keyout")
                    .arg(&key)
                    .arg("-out")
                    .arg(presented)
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        }
    };
    assert!(
        last.findings.is_empty(),
        "{example} after {rounds} rounds: {:#?}",
        last.findings
            .iter()
            .map(|f| format!("{} {} {}", f.code, f.host, f.message))
            .collect::<Vec<_>>()
    );
    assert!(
        plan.is_empty(),
        "{example}: {}",
        cce::render::plan_text(&plan)
    );
    assert!(
        rounds >= 2,
        "{example}: a new certificate needs a second round of imports"
    );
    assert!(last.edges.iter().all(|e| e.status == EdgeStatus::Trusted));
}

/// A CA renewed with a new key under the same name (both `Test Root CA`) while servers of
/// both generations are in service: the store keeps the old root under `test-root-ca` and gets
/// the new one under another alias (keytool refuses an alias that exists, and replacing the
/// old root would break the servers it issued); after the import both are trusted and the
/// plan is empty.
#[test]
fn a_renewed_root_with_the_same_name_is_imported_beside_the_old_one() {
    let mut lab = Lab::new(
        "pcce",
        "12.5",
        &format!(
            "certificates = \"ca-signed\"\nca = ['{}', '{}', '{}']",
            data("ca/root.pem").display(),
            data("ca/issuing.pem").display(),
            data("ca/root-renewed.pem").display()
        ),
    );
    lab.host(H {
        fqdn: &format!("awa.{D}"),
        roles: &["aw"],
        extra: "",
        presents: &[],
        stores: &[("cacerts", "", &[("test-root-ca", "ca/root.pem")])],
    });
    lab.host(H {
        fqdn: &format!("rgra.{D}"),
        roles: &["rogger"],
        extra: "",
        presents: &[("iis", "ca/rgra.pem")],
        stores: &[],
    });
    lab.host(H {
        fqdn: &format!("pga.{D}"),
        roles: &["pg"],
        extra: "",
        presents: &[("iis", "ca/pga-renewedroot.pem")],
        stores: &[],
    });
    let (inv, a, p) = lab.audit();
    let iis = |a: &cce::Audit, who: &str| {
        a.edges
            .iter()
            .find(|e| e.service.key() == "iis" && inv.hosts[e.exporter].fqdn == who)
            .unwrap()
            .status
    };
    assert_eq!(iis(&a, &format!("rgra.{D}")), EdgeStatus::Trusted);
    assert_eq!(iis(&a, &format!("pga.{D}")), EdgeStatus::Untrusted);
    let imports: Vec<_> = p
        .steps()
        .filter(|(_, s)| s.kind == StepKind::Import)
        .map(|(_, s)| s)
        .collect();
    assert_eq!(imports.len(), 1, "{}", cce::render::plan_text(&p));
    let renewed = cert("ca/root-renewed.pem");
    assert_eq!(
        imports[0].certificate.as_ref().unwrap().sha256(),
        renewed.sha256()
    );
    let alias = imports[0].title.split('`').nth(1).unwrap();
    assert_ne!(alias, "test-root-ca", "the old root keeps its alias");
    assert!(alias.starts_with("test-root-ca"), "{alias}");
    cce::apply(&inv, &p).unwrap();
    let (_, a2, p2) = lab.audit();
    assert_eq!(iis(&a2, &format!("rgra.{D}")), EdgeStatus::Trusted);
    assert_eq!(iis(&a2, &format!("pga.{D}")), EdgeStatus::Trusted);
    assert!(p2.is_empty(), "{}", cce::render::plan_text(&p2));
}

/// Issue 11, point 2: a VOS subscriber is an importer too. With its own collected
/// tomcat-trust, it is judged against that; when it differs from the publisher's, that is
/// `store.replication-drift`, an error when the difference breaks a relationship (the
/// subscriber lacks the root its publisher holds), a warning otherwise, naming the
/// certificates on one side only, with the upload on the node that lacks them.
#[test]
fn a_subscriber_is_judged_with_its_own_store_and_drift_is_reported() {
    let run = |fina_holds: &[(&str, &str)], finb_holds: &[(&str, &str)]| {
        let mut lab = Lab::new("pcce", "12.5", &ca_files());
        for (h, node, held) in [
            ("fina", "publisher", fina_holds),
            ("finb", "subscriber", finb_holds),
        ] {
            lab.host(H {
                fqdn: &format!("{h}.{D}"),
                roles: &["finesse"],
                extra: &format!("cluster = \"finesse\"\nnode = \"{node}\""),
                presents: &[("tomcat", &format!("ca/{h}.pem"))],
                stores: &[("tomcat-trust", "", held)],
            });
        }
        lab.host(H {
            fqdn: &format!("cuica.{D}"),
            roles: &["cuic"],
            extra: "cluster = \"cuic\"\nnode = \"publisher\"",
            presents: &[("tomcat", "ca/cuica.pem")],
            stores: &[],
        });
        lab.audit()
    };
    let root: &[(&str, &str)] = &[("test-root-ca", "ca/root.pem")];
    // The subscriber lacks the root: its relationship breaks where the publisher's works.
    let (inv, a, p) = run(root, &[]);
    let finb = inv.host_index(&format!("finb.{D}")).unwrap();
    let e = a
        .edges
        .iter()
        .find(|e| e.importer == finb && e.requirement == "finesse.trusts.cuic")
        .unwrap();
    assert_eq!(e.status, EdgeStatus::Untrusted, "{e:#?}");
    let f: Vec<_> = a.with_code(Code::StoreReplicationDrift).collect();
    assert_eq!(f.len(), 1, "{:#?}", a.findings);
    assert_eq!(f[0].severity, cce::Severity::Error);
    assert_eq!(f[0].host, format!("finb.{D}"));
    assert!(
        f[0].message
            .contains("only the publisher fina.t.example.com holds `test-root-ca`")
            && f[0].message.contains("replication did not carry")
            && f[0]
                .message
                .contains("finb.t.example.com → cuica.t.example.com tomcat"),
        "{}",
        f[0].message
    );
    let step = p
        .steps()
        .find(|(_, s)| s.fixes.contains(&Code::StoreReplicationDrift))
        .expect("an upload for the drift");
    assert_eq!(step.0.fqdn, format!("finb.{D}"));
    assert_eq!(step.1.kind, StepKind::Import);
    assert!(
        step.1.title.contains("`test-root-ca`")
            && step
                .1
                .title
                .contains("replication from fina.t.example.com did not carry it"),
        "{}",
        step.1.title
    );
    // An extra certificate on the subscriber that nothing needs: a warning, uploaded on the
    // publisher.
    let (_, a, p) = run(
        root,
        &[("test-root-ca", "ca/root.pem"), ("web3p", "ss/web3p.pem")],
    );
    let f: Vec<_> = a.with_code(Code::StoreReplicationDrift).collect();
    assert_eq!(f.len(), 1, "{:#?}", a.findings);
    assert_eq!(f[0].severity, cce::Severity::Warning);
    assert!(
        f[0].message
            .contains("only the subscriber finb.t.example.com holds `web3p`"),
        "{}",
        f[0].message
    );
    assert!(p
        .steps()
        .any(|(h, s)| h.fqdn == format!("fina.{D}")
            && s.fixes.contains(&Code::StoreReplicationDrift)));
    assert!(a
        .edges
        .iter()
        .filter(|e| e.requirement == "finesse.trusts.cuic")
        .all(|e| e.status == EdgeStatus::Trusted));
    // The same on both nodes: no drift.
    let (_, a, _) = run(root, root);
    assert!(!has(&a, Code::StoreReplicationDrift), "{:?}", codes(&a));
}
