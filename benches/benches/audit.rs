//! Audit + plan of generated contact-center deployments: a 12,000-agent deployment of 300 hosts
//! (target ≤ 100 ms), then 1,000, 3,000 and 10,000 hosts (target ≤ 5 s) to show growth in hosts.
//!
//! Each host gets its own ECDSA P-256 certificates (IIS + DFP, WSM, tomcat…), built and signed
//! here (DER by hand, signatures by `p256`), and the stores hold what the trust matrix needs,
//! except for one import in a hundred, so the audit finds problems and the plan has steps.
//! Setup (certificates, inventory, evidence) stays out of the timed loop; the timed work is
//! `cce::audit` followed by `cce::plan`, exactly what `ccetrust audit` does after reading files.
//! The product is PCCE 12.0 because 12.5 accepts only RSA keys, and RSA keys cannot be made
//! quickly enough for 20,000 certificates.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use ccetrust::cce::catalog::{Service, StoreFormat, StoreKind};
use ccetrust::cce::evidence::{Evidence, HostEvidence, Presented, StoreContents, StoreEntry};
use ccetrust::cce::{self, AuditOptions, Inventory};
use ccetrust::{Certificate, Timestamp};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use p256::ecdsa::{signature::Signer, DerSignature, SigningKey};

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut v = vec![tag];
    let n = content.len();
    if n < 0x80 {
        v.push(n as u8);
    } else if n < 0x100 {
        v.extend([0x81, n as u8]);
    } else {
        v.extend([0x82, (n >> 8) as u8, n as u8]);
    }
    v.extend_from_slice(content);
    v
}

fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

const OID_ECDSA_SHA256: &[u8] = &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
const OID_EC_PUBLIC_KEY: &[u8] = &[0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const OID_P256: &[u8] = &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];

fn name(cn: &str) -> Vec<u8> {
    let atv = seq(&[vec![0x06, 0x03, 0x55, 0x04, 0x03], tlv(0x0c, cn.as_bytes())]);
    seq(&[tlv(0x31, &atv)])
}

/// A self-signed P-256 server certificate for `fqdn` (CN and DNS SAN), valid 2025–2030.
fn self_signed(key: &SigningKey, fqdn: &str, serial: u32) -> Certificate {
    let point = key.verifying_key().to_sec1_point(false);
    let spki = seq(&[
        seq(&[OID_EC_PUBLIC_KEY.to_vec(), OID_P256.to_vec()]),
        tlv(0x03, &[&[0u8][..], point.as_bytes()].concat()),
    ]);
    let san = seq(&[
        vec![0x06, 0x03, 0x55, 0x1d, 0x11],
        tlv(0x04, &seq(&[tlv(0x82, fqdn.as_bytes())])),
    ]);
    let eku = seq(&[
        vec![0x06, 0x03, 0x55, 0x1d, 0x25],
        tlv(
            0x04,
            &seq(&[vec![
                0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01,
            ]]),
        ),
    ]);
    let bc = seq(&[
        vec![0x06, 0x03, 0x55, 0x1d, 0x13],
        vec![0x01, 0x01, 0xff],
        tlv(0x04, &seq(&[])),
    ]);
    let mut serial_bytes = vec![0x01];
    serial_bytes.extend(serial.to_be_bytes());
    let tbs = seq(&[
        tlv(0xa0, &[0x02, 0x01, 0x02]),
        tlv(0x02, &serial_bytes),
        seq(&[OID_ECDSA_SHA256.to_vec()]),
        name(fqdn),
        seq(&[tlv(0x17, b"250101000000Z"), tlv(0x17, b"300101000000Z")]),
        name(fqdn),
        spki,
        tlv(0xa3, &seq(&[bc, eku, san])),
    ]);
    let sig: DerSignature = key.sign(&tbs);
    let der = seq(&[
        tbs,
        seq(&[OID_ECDSA_SHA256.to_vec()]),
        tlv(0x03, &[&[0u8][..], sig.as_bytes()].concat()),
    ]);
    Certificate::from_der(&der).unwrap()
}

struct Lab {
    inv: Inventory,
    ev: Evidence,
}

/// A deployment of about `n` hosts: a fixed administration core (4 AW/ADS, 2 Roggers, one
/// CUIC cluster of 4, ECE) and, growing with `n`, PG pairs, CVP servers and Finesse clusters.
fn generate(n: usize) -> Lab {
    let key = SigningKey::from_slice(&[7u8; 32]).unwrap();
    let d = "big.example.com";
    // (name, role, (cluster, is publisher))
    #[allow(clippy::type_complexity)]
    let mut hosts: Vec<(String, &str, Option<(usize, bool)>)> = Vec::new();
    for i in 0..4 {
        hosts.push((format!("aw{i}"), "aw", None));
    }
    hosts.push(("rgra".into(), "rogger", None));
    hosts.push(("rgrb".into(), "rogger", None));
    for i in 0..4 {
        hosts.push((format!("cuic{i}"), "cuic", Some((0, i == 0))));
    }
    hosts.push(("eceweb".into(), "ece-web", None));
    let fixed = hosts.len();
    let rest = n.saturating_sub(fixed);
    let (pgs, cvps) = (rest * 5 / 10, rest * 3 / 10);
    let fins = rest - pgs - cvps;
    for i in 0..pgs {
        hosts.push((format!("pg{i}"), "pg", None));
    }
    for i in 0..cvps {
        hosts.push((format!("cvp{i}"), "cvp", None));
    }
    for i in 0..fins {
        hosts.push((format!("fin{i}"), "finesse", Some((1 + i / 2, i % 2 == 0))));
    }
    // Inventory text, as an administrator would write it.
    let mut toml = format!("[deployment]\nname = \"generated {n}\"\nproduct = \"pcce\"\nversion = \"12.0\"\nsize = 12000\ndomain = \"{d}\"\n");
    for (name, role, cluster) in &hosts {
        toml.push_str(&format!(
            "[[host]]\nfqdn = \"{name}.{d}\"\nroles = [\"{role}\"]\n"
        ));
        if let Some((c, publisher)) = cluster {
            toml.push_str(&format!(
                "cluster = \"c{c}\"\nnode = \"{}\"\n",
                if *publisher {
                    "publisher"
                } else {
                    "subscriber"
                }
            ));
        }
        let store = match *role {
            "aw" | "rogger" => Some("cacerts"),
            "cvp" => Some("cvp-keystore"),
            "finesse" | "cuic" if cluster.is_some_and(|c| c.1) => Some("tomcat-trust"),
            _ => None,
        };
        if let Some(kind) = store {
            toml.push_str(&format!(
                "[[host.store]]\nkind = \"{kind}\"\npath = \"x\"\n"
            ));
        }
    }
    let inv = Inventory::parse(&toml, Path::new(".")).unwrap();

    // What each host presents.
    let mut serial = 0u32;
    let mut presented: Vec<Vec<(Service, Certificate)>> = Vec::new();
    for h in &inv.hosts {
        let mut v = Vec::new();
        for s in h.roles[0].info().presents {
            if *s == Service::TomcatEcdsa {
                continue;
            }
            serial += 1;
            v.push((*s, self_signed(&key, &h.fqdn, serial)));
        }
        presented.push(v);
    }
    // Stores hold the conventional imports, except one in a hundred.
    let mut skip = 0usize;
    let mut hosts_ev = Vec::new();
    for (hi, h) in inv.hosts.iter().enumerate() {
        let mut stores = Vec::new();
        for (si, s) in h.stores.iter().enumerate() {
            let mut anchors = Vec::new();
            let mut entries = Vec::new();
            for req in cce::catalog::REQUIREMENTS {
                if req.store != s.kind || !req.importers.iter().any(|r| h.has(*r)) {
                    continue;
                }
                for (ei, e) in inv.hosts.iter().enumerate() {
                    if ei == hi || !req.exporters.iter().any(|r| e.has(*r)) {
                        continue;
                    }
                    for (svc, conv) in req.services {
                        if let Some((_, c)) = presented[ei].iter().find(|(x, _)| x == svc) {
                            skip += 1;
                            if skip.is_multiple_of(100) {
                                continue;
                            }
                            entries.push(StoreEntry {
                                alias: conv.alias(&e.fqdn, None).unwrap_or_default(),
                                anchor: anchors.len(),
                            });
                            anchors.push(c.clone());
                        }
                    }
                }
            }
            let format = if s.kind == StoreKind::TomcatTrust {
                StoreFormat::PemFolder
            } else if s.kind == StoreKind::CvpKeystore {
                StoreFormat::Jceks
            } else {
                StoreFormat::Jks
            };
            stores.push(StoreContents {
                kind: s.kind,
                host: hi,
                index: si,
                path: "x".into(),
                format,
                entries,
                anchors,
            });
        }
        hosts_ev.push(HostEvidence {
            presented: presented[hi]
                .iter()
                .map(|(s, c)| Presented {
                    service: *s,
                    chain: vec![c.clone()],
                    source: "x".into(),
                })
                .collect(),
            stores,
            csrs: Vec::new(),
            shared_pfx_has_key: None,
            ..Default::default()
        });
    }
    Lab {
        inv,
        ev: Evidence {
            hosts: hosts_ev,
            ..Default::default()
        },
    }
}

fn bench(c: &mut Criterion) {
    let opts = AuditOptions {
        at: Timestamp::parse_rfc3339("2026-06-01T00:00:00Z").unwrap(),
        expiring_days: 60,
    };
    let mut g = c.benchmark_group("audit+plan");
    g.sample_size(10);
    for n in [300usize, 1000, 3000, 10_000] {
        let lab = generate(n);
        let a = cce::audit(&lab.inv, &lab.ev, &opts);
        let p = cce::plan(&lab.inv, &a);
        eprintln!(
            "{n} hosts: {} trust relationships, {} findings, {} plan steps",
            a.edges.len(),
            a.findings.len(),
            p.len()
        );
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &lab, |b, lab| {
            b.iter(|| {
                let a = cce::audit(&lab.inv, &lab.ev, &opts);
                let p = cce::plan(&lab.inv, &a);
                (a.findings.len(), p.len())
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
