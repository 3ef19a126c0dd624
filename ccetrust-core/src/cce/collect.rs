//! Collecting, for the audit, the chains that `fetch = true` hosts present on the wire.
//!
//! An exported `.cer` file says what a server presented the day someone clicked the padlock;
//! the audit of a deployment that changes (a renewed IIS certificate, a regenerated CVP
//! `wsm_certificate`) is only as good as that export. A host marked `fetch = true` is instead
//! asked directly: every TLS service its roles present (ports from the catalog, or the
//! inventory's `ports` overrides) that has no file under `[host.presents]` is collected with
//! [`crate::fetch::fetch_many`], a bounded number of connections at a time, each with its
//! connect and handshake timeouts. What came back becomes evidence exactly as a file would,
//! marked with where and when it was fetched; what did not is recorded per host and port with
//! the kind of failure, so the audit reports it and still judges everything else.
//!
//! Planning the connections ([`targets`]) needs no network code and is always compiled; the
//! connections themselves need the `fetch` feature. Without it, or with fetching switched off
//! (`ccetrust audit --offline`), the hosts are marked [`NotCollected`] and reported as
//! `evidence.not-collected` with the reason.

use std::time::Duration;

use super::catalog::Service;
use super::evidence::{Evidence, NotCollected};
use super::inventory::Inventory;

/// The most connections [`FetchOptions::concurrency`] may ask for: each one is a thread.
pub const MAX_CONCURRENCY: usize = 64;
/// The longest per-service timeout a user may ask for, seconds.
pub const MAX_TIMEOUT_SECS: f64 = 3600.0;

/// How the audit collects the chains of `fetch = true` hosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FetchOptions {
    /// Whether to connect at all. `false` is `--offline`: a jump host without reach to the
    /// servers still audits the exported files, and reports the fetch hosts as not collected.
    pub enabled: bool,
    /// At most this many connections open at once (1 to [`MAX_CONCURRENCY`]).
    pub concurrency: usize,
    /// Name resolution plus TCP connect, per service.
    pub connect_timeout: Duration,
    /// The TLS handshake, per service.
    pub handshake_timeout: Duration,
}

impl Default for FetchOptions {
    /// Enabled, 8 connections at a time, 5 s to connect and 10 s for the handshake: a
    /// 2000-agent PCCE (about 40 TLS services) with a few dead ports finishes in well under a
    /// minute, and 8 handshakes at once are nothing for any server.
    fn default() -> Self {
        FetchOptions {
            enabled: true,
            concurrency: 8,
            connect_timeout: Duration::from_secs(5),
            handshake_timeout: Duration::from_secs(10),
        }
    }
}

impl FetchOptions {
    /// No network: `fetch = true` hosts are reported as not collected (`--offline`).
    pub fn offline() -> Self {
        FetchOptions {
            enabled: false,
            ..FetchOptions::default()
        }
    }

    /// These options with `secs` both to connect and for the handshake, as a user gives
    /// it (`--fetch-timeout`, Python's `fetch_timeout`): `None` unless it is a number of
    /// seconds above 0 and at most [`MAX_TIMEOUT_SECS`].
    pub fn with_timeout_secs(self, secs: f64) -> Option<Self> {
        if !(secs.is_finite() && secs > 0.0 && secs <= MAX_TIMEOUT_SECS) {
            return None;
        }
        let t = Duration::from_secs_f64(secs);
        Some(FetchOptions {
            connect_timeout: t,
            handshake_timeout: t,
            ..self
        })
    }
}

/// One connection the audit makes: a host's port, and the services served on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedFetch {
    /// Index of the host in the inventory.
    pub host: usize,
    /// What to connect to: the host's `address`, else its FQDN.
    pub dial: String,
    /// The port.
    pub port: u16,
    /// The SNI name to send: the FQDN when it is a DNS name (also when dialling an
    /// `address`, so the server picks the certificate its clients get), none for an IP.
    pub sni: Option<String>,
    /// The services on that port (two when an override puts them together).
    pub services: Vec<Service>,
}

/// The connections that collect the chains of the inventory's `fetch = true` hosts, in
/// inventory order: per host, each service its roles present that has no file under
/// `[host.presents]`, grouped by port so a port is contacted once.
///
/// `tomcat-ecdsa` is left out unless `ports` names it: on UCCX/SocialMiner 11.5 it shares
/// 443 with the RSA `tomcat`, and which of the two a server presents depends on the client,
/// not the port. Export it and list it under `[host.presents]` instead.
pub fn targets(inv: &Inventory) -> Vec<PlannedFetch> {
    let mut out: Vec<PlannedFetch> = Vec::new();
    for (hi, h) in inv.hosts.iter().enumerate() {
        if !h.fetch {
            continue;
        }
        let first = out.len();
        let mut services: Vec<Service> = Vec::new();
        for r in &h.roles {
            for &s in r.info().presents {
                if !services.contains(&s) {
                    services.push(s);
                }
            }
        }
        for s in services {
            if h.presented(s).is_some() {
                continue;
            }
            if s == Service::TomcatEcdsa && !h.ports.iter().any(|(p, _)| *p == s) {
                continue;
            }
            let port = h.port(s, inv.system_id);
            if let Some(t) = out
                .get_mut(first..)
                .and_then(|ts| ts.iter_mut().find(|t| t.port == port))
            {
                t.services.push(s);
                continue;
            }
            let fqdn = h.fqdn.trim_end_matches('.');
            out.push(PlannedFetch {
                host: hi,
                dial: h.address.clone().unwrap_or_else(|| h.fqdn.clone()),
                port,
                sni: (fqdn.parse::<std::net::IpAddr>().is_err()).then(|| fqdn.to_string()),
                services: vec![s],
            });
        }
    }
    out
}

/// Collects what [`targets`] plans into `ev` (see the module comment).
pub(crate) fn fetch_into(inv: &Inventory, ev: &mut Evidence, opts: &FetchOptions) {
    let planned = targets(inv);
    if planned.is_empty() {
        return;
    }
    let skip = if !opts.enabled {
        Some(NotCollected::Offline)
    } else if cfg!(feature = "fetch") {
        None
    } else {
        Some(NotCollected::NoFetchFeature)
    };
    match skip {
        Some(why) => {
            for p in &planned {
                if let Some(h) = ev.hosts.get_mut(p.host) {
                    h.not_collected = Some(why);
                }
            }
        }
        #[cfg(feature = "fetch")]
        None => live::collect(&planned, ev, opts),
        #[cfg(not(feature = "fetch"))]
        None => {}
    }
}

#[cfg(feature = "fetch")]
mod live {
    //! The network half: [`crate::fetch::fetch_many`] over the planned targets, and each
    //! answer turned into evidence or into an [`Unreachable`] record.

    use super::{FetchOptions, PlannedFetch, MAX_CONCURRENCY};
    use crate::cce::evidence::{Evidence, Fetched, Presented, Source, Unreachable};
    use crate::fetch::{fetch_many, FetchError, FetchTarget, Sni, Timeouts};
    use crate::Timestamp;

    pub(super) fn collect(planned: &[PlannedFetch], ev: &mut Evidence, opts: &FetchOptions) {
        let targets: Vec<FetchTarget> = planned
            .iter()
            .map(|p| FetchTarget {
                host: p.dial.clone(),
                port: p.port,
                sni: match &p.sni {
                    Some(n) => Sni::Name(n.clone()),
                    None => Sni::Off,
                },
            })
            .collect();
        let timeouts = Timeouts {
            connect: opts.connect_timeout,
            handshake: opts.handshake_timeout,
        };
        let results = fetch_many(
            &targets,
            opts.concurrency.clamp(1, MAX_CONCURRENCY),
            timeouts,
        );
        // A failure carries no time of its own: it is stamped with the end of the collection.
        let at = Timestamp::now();
        for (p, (target, result)) in planned.iter().zip(results) {
            let Some(host) = ev.hosts.get_mut(p.host) else {
                continue;
            };
            match result {
                Ok(chain) => {
                    let source = Source::Fetched(Fetched {
                        target: target.display(),
                        address: chain.address.to_string(),
                        sni: chain.sni.clone(),
                        at: chain.received_at,
                        tls_version: chain.tls_version.clone(),
                        cipher_suite: chain.cipher_suite.clone(),
                        handshake_completed: chain.handshake_completed,
                    });
                    for &service in &p.services {
                        host.presented.push(Presented {
                            service,
                            chain: chain.certificates.clone(),
                            source: source.clone(),
                        });
                    }
                }
                Err(e) => host.unreachable.push(Unreachable {
                    services: p.services.clone(),
                    target: target.display(),
                    port: p.port,
                    kind: e.kind(),
                    alert: match &e {
                        FetchError::Alert { name, .. } => Some(*name),
                        _ => None,
                    },
                    message: e.to_string(),
                    at,
                }),
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use std::path::Path;

    use super::*;

    const INV: &str = r#"
[deployment]
product = "pcce"
version = "12.5"
system_id = 2

[[host]]
fqdn = "rgra.lab.example.com"
roles = ["rogger", "pg"]
fetch = true
[host.presents]
dfp = "rgra-dfp.pem"

[[host]]
fqdn = "cg1a.lab.example.com"
roles = ["cti"]
fetch = true
address = "10.0.0.7"

[[host]]
fqdn = "10.0.0.8"
roles = ["third-party-https"]
fetch = true
ports = { https = 8443 }

[[host]]
fqdn = "awa.lab.example.com"
roles = ["aw"]
fetch = true
ports = { iis = 18443, dfp = 18443 }

[[host]]
fqdn = "uccx.lab.example.com"
roles = ["uccx"]
fetch = true

[[host]]
fqdn = "awb.lab.example.com"
roles = ["aw"]
"#;

    fn planned() -> Vec<PlannedFetch> {
        targets(&Inventory::parse(INV, Path::new("/inv")).unwrap())
    }

    #[test]
    fn every_unlisted_service_is_fetched_on_its_catalog_port() {
        let p = planned();
        let row = |host: usize| -> Vec<(&str, u16, Option<&str>, Vec<&str>)> {
            p.iter()
                .filter(|t| t.host == host)
                .map(|t| {
                    (
                        t.dial.as_str(),
                        t.port,
                        t.sni.as_deref(),
                        t.services.iter().map(|s| s.key()).collect(),
                    )
                })
                .collect()
        };
        // Rogger + PG present IIS and DFP once; DFP has a file, so only IIS is fetched.
        assert_eq!(
            row(0),
            vec![(
                "rgra.lab.example.com",
                443,
                Some("rgra.lab.example.com"),
                vec!["iis"]
            )]
        );
        // The CTI port follows system_id 2 (44030); the address is dialled, the FQDN is the SNI.
        assert_eq!(
            row(1),
            vec![("10.0.0.7", 44030, Some("cg1a.lab.example.com"), vec!["cti"])]
        );
        // An IP address as FQDN: no SNI (RFC 6066); the override replaces 443.
        assert_eq!(row(2), vec![("10.0.0.8", 8443, None, vec!["https"])]);
        // Two services on one overridden port: one connection.
        assert_eq!(
            row(3),
            vec![(
                "awa.lab.example.com",
                18443,
                Some("awa.lab.example.com"),
                vec!["iis", "dfp"]
            )]
        );
        // UCCX: tomcat on the notification service port; tomcat-ecdsa is not fetched.
        assert_eq!(
            row(4),
            vec![(
                "uccx.lab.example.com",
                7443,
                Some("uccx.lab.example.com"),
                vec!["tomcat"]
            )]
        );
        // Not marked fetch = true: nothing.
        assert!(row(5).is_empty());
    }

    #[test]
    fn offline_marks_the_fetch_hosts_and_connects_nowhere() {
        let inv = Inventory::parse(INV, Path::new("/inv")).unwrap();
        let mut ev = Evidence {
            hosts: vec![Default::default(); inv.hosts.len()],
            ..Default::default()
        };
        fetch_into(&inv, &mut ev, &FetchOptions::offline());
        let marks: Vec<_> = ev.hosts.iter().map(|h| h.not_collected).collect();
        let off = Some(NotCollected::Offline);
        assert_eq!(marks, vec![off, off, off, off, off, None]);
        assert!(ev
            .hosts
            .iter()
            .all(|h| h.presented.is_empty() && h.unreachable.is_empty()));
    }

    /// Built without `fetch`: the audit says so instead of connecting
    /// (`cargo test -p ccetrust-core --no-default-features --lib cce::collect`).
    #[cfg(not(feature = "fetch"))]
    #[test]
    fn without_the_fetch_feature_the_hosts_are_marked_not_collected() {
        let inv = Inventory::parse(INV, Path::new("/inv")).unwrap();
        let mut ev = Evidence {
            hosts: vec![Default::default(); inv.hosts.len()],
            ..Default::default()
        };
        fetch_into(&inv, &mut ev, &FetchOptions::default());
        assert_eq!(
            ev.hosts[0].not_collected,
            Some(NotCollected::NoFetchFeature)
        );
        assert_eq!(ev.hosts[5].not_collected, None);
        let a = crate::cce::audit(&inv, &ev, &crate::cce::AuditOptions::now());
        let f = a
            .with_code(crate::cce::Code::EvidenceNotCollected)
            .find(|f| f.host == "rgra.lab.example.com")
            .unwrap();
        assert!(
            f.message.contains("lacks the `fetch` feature"),
            "{}",
            f.message
        );
    }
}
