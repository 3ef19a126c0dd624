//! The contact-center facts as data: which roles exist, which certificates each presents, which
//! stores each validates with, who must trust whom, and the product/version rules.
//!
//! Everything the audit and the plan know about Cisco PCCE/UCCE/UCCX/CVP/ECE lives in the tables
//! of this file (they transcribe `CCE-TRUST.md` §1–§4). Adding a role is one row in [`ROLES`]
//! (and a variant in [`Role`]); adding who-trusts-whom is one row in [`REQUIREMENTS`]; a new
//! product rule is one arm in [`KeyPolicy::for_product`]; which roles the role-bound rules
//! concern is data too ([`ONLY_KU_BC_CRITICAL`], [`CLIENT_SERVER_EKU`], [`browser_facing`]
//! from the browser requirements, [`EXTRA_RESTARTS`]). The audit and the plan have no
//! role-specific code paths beyond what these tables say.

use std::fmt;

/// A component of a contact center, as the administrator names it in the inventory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Admin workstation / admin data server; the primary AW hosts CCE Administration (SPOG).
    AwAds,
    /// ICM Router.
    Router,
    /// ICM Logger.
    Logger,
    /// Combined Router + Logger (PCCE).
    Rogger,
    /// Peripheral Gateway (agent PG, VRU PG…).
    Pg,
    /// A PG that hosts the CUCM PIM: downloads the JTAPI client from the CUCM publisher.
    CucmPg,
    /// The CTI server / CTI gateway on a PG, with TLS on its secure port (CCE 12).
    CtiServer,
    /// CVP Call Server / VXML Server.
    Cvp,
    /// CVP Reporting Server.
    CvpReporting,
    /// ECE web server (IIS).
    EceWeb,
    /// ECE application / services server (LDAPS to AD for partition-admin SSO).
    EceApp,
    /// Active Directory global catalog used by ECE over LDAPS.
    AdGc,
    /// Cisco Finesse (VOS).
    Finesse,
    /// Cisco Unified Intelligence Center (VOS).
    Cuic,
    /// Live Data (VOS; co-resident with CUIC or standalone).
    LiveData,
    /// Identity Server for SSO (VOS).
    Ids,
    /// Cisco Unified Communications Manager (VOS).
    Cucm,
    /// Virtualized Voice Browser (VOS).
    Vvb,
    /// Cloud Connect (VOS).
    CloudConnect,
    /// Unified Contact Center Express (VOS).
    Uccx,
    /// SocialMiner / Customer Collaboration Platform (VOS).
    SocialMiner,
    /// MediaSense (VOS).
    MediaSense,
    /// Agent, supervisor and admin browsers.
    Desktop,
    /// A load balancer in front of ECE web servers.
    LoadBalancer,
    /// A third-party HTTPS server that UCCX scripts call.
    ThirdPartyHttps,
}

/// Where a role runs: decides how a store is changed (keytool, VOS upload, group policy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    /// A Windows server: keytool, paths with backslashes, services to restart.
    Windows,
    /// A Cisco VOS appliance: OS Administration uploads, `utils system restart`.
    Vos,
    /// A browser on a desktop: OS or browser root store.
    Desktop,
    /// Anything else (load balancer, third-party server): instructions only.
    Appliance,
}

/// A certificate a role presents to its clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Service {
    /// The IIS web server (CCE web setup, SPOG REST, ECE web).
    Iis,
    /// The Diagnostic Framework Portico.
    Dfp,
    /// The CTI server's TLS port (CCE 12).
    CtiSecure,
    /// CVP Web Services Manager, alias `wsm_certificate`.
    CvpWsm,
    /// CVP VXML Server over HTTPS, alias `vxml_certificate`.
    CvpVxml,
    /// CVP Call Server, SIP over TLS, alias `callserver_certificate`.
    CvpCallServer,
    /// A VOS appliance's `tomcat` identity certificate.
    Tomcat,
    /// The ECDSA `tomcat-ECDSA` certificate of UCCX/SocialMiner 11.5.
    TomcatEcdsa,
    /// The AD global catalog over LDAPS.
    LdapsGc,
    /// Any other HTTPS server.
    Https,
}

/// The certificate store a role validates its peers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StoreKind {
    /// The Java `cacerts` of the JRE the CCE Tomcat uses (AW/ADS, Router/Logger, PG).
    JavaCacerts,
    /// The CVP keystore (JCEKS) holding CVP's own keys and what it trusts.
    CvpKeystore,
    /// The CTI server's CiscoCertUtil folder `C:\icm\ssl\certs`.
    CtiCerts,
    /// The JKS made for the AD LDAPS certificate on ECE application servers.
    EceLdapsJks,
    /// A VOS appliance's `tomcat-trust` (replicated publisher ↔ subscribers).
    TomcatTrust,
    /// A desktop's OS or browser root store.
    BrowserRoot,
}

/// How a store is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreFormat {
    /// Java KeyStore.
    Jks,
    /// Sun's JCEKS: must stay JCEKS (CVP).
    Jceks,
    /// PKCS#12.
    Pkcs12,
    /// A folder of `.pem`/`.cer` files, one certificate each (VOS download, CTI certs folder).
    PemFolder,
}

impl StoreFormat {
    /// The inventory spelling.
    pub fn key(self) -> &'static str {
        match self {
            StoreFormat::Jks => "jks",
            StoreFormat::Jceks => "jceks",
            StoreFormat::Pkcs12 => "pkcs12",
            StoreFormat::PemFolder => "pem-folder",
        }
    }

    /// Parses the inventory spelling.
    pub fn from_key(s: &str) -> Option<Self> {
        Some(match s.to_ascii_lowercase().as_str() {
            "jks" => StoreFormat::Jks,
            "jceks" => StoreFormat::Jceks,
            "pkcs12" | "p12" | "pfx" => StoreFormat::Pkcs12,
            "pem-folder" | "folder" | "pem" => StoreFormat::PemFolder,
            _ => return None,
        })
    }
}

/// Where a store's password comes from on the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordSource {
    /// A documented vendor default (`changeit` for Java `cacerts`).
    Default(&'static str),
    /// `Security.keystorePW` in `%CVP_HOME%\conf\security.properties`.
    CvpSecurityProperties,
    /// Chosen by the administrator who made the store.
    Chosen,
    /// The store has no password (folders, VOS trust, browsers).
    None,
}

/// How the conventional alias of an imported certificate is formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AliasConvention {
    /// `{fqdn}{suffix}`, e.g. `{fqdn}_IIS`, `{fqdn}_DFP`, or just `{fqdn}`.
    Fqdn(&'static str),
    /// The exporter's short host name (the ECE LDAPS example `mydomaincontroller`).
    ShortName,
    /// A VOS trust file named after the certificate's CN (`{cn}.pem`).
    CommonName,
    /// No alias (browser stores).
    None,
}

impl AliasConvention {
    /// The alias for a certificate exported by `fqdn` with common name `cn`.
    pub fn alias(self, fqdn: &str, cn: Option<&str>) -> Option<String> {
        match self {
            AliasConvention::Fqdn(suffix) => Some(format!("{fqdn}{suffix}")),
            AliasConvention::ShortName => Some(fqdn.split('.').next().unwrap_or(fqdn).to_string()),
            AliasConvention::CommonName => Some(cn.unwrap_or(fqdn).to_string()),
            AliasConvention::None => None,
        }
    }
}

/// Facts about one role.
#[derive(Debug)]
pub struct RoleInfo {
    /// The role.
    pub role: Role,
    /// The inventory spelling (`aw`, `rogger`, `cvp`…).
    pub key: &'static str,
    /// Other accepted spellings.
    pub aliases: &'static [&'static str],
    /// The name an administrator uses.
    pub title: &'static str,
    /// Where it runs.
    pub platform: Platform,
    /// The certificates it presents.
    pub presents: &'static [Service],
    /// The stores it validates its peers with.
    pub stores: &'static [StoreKind],
}

use Role::*;
use Service::*;
use StoreKind::*;

/// Every role the catalog knows. One row per role.
#[rustfmt::skip]
pub const ROLES: &[RoleInfo] = &[
    RoleInfo { role: AwAds, key: "aw", aliases: &["ads", "aw-ads", "aw/ads"], title: "AW/ADS", platform: Platform::Windows, presents: &[Iis, Dfp], stores: &[JavaCacerts] },
    RoleInfo { role: Router, key: "router", aliases: &[], title: "Router", platform: Platform::Windows, presents: &[Iis, Dfp], stores: &[JavaCacerts] },
    RoleInfo { role: Logger, key: "logger", aliases: &[], title: "Logger", platform: Platform::Windows, presents: &[Iis, Dfp], stores: &[JavaCacerts] },
    RoleInfo { role: Rogger, key: "rogger", aliases: &[], title: "Rogger", platform: Platform::Windows, presents: &[Iis, Dfp], stores: &[JavaCacerts] },
    RoleInfo { role: Pg, key: "pg", aliases: &["peripheral-gateway"], title: "Peripheral Gateway", platform: Platform::Windows, presents: &[Iis, Dfp], stores: &[JavaCacerts] },
    RoleInfo { role: CucmPg, key: "cucm-pg", aliases: &[], title: "CUCM PG", platform: Platform::Windows, presents: &[], stores: &[JavaCacerts] },
    RoleInfo { role: CtiServer, key: "cti", aliases: &["cti-server", "cg"], title: "CTI server", platform: Platform::Windows, presents: &[CtiSecure], stores: &[CtiCerts] },
    RoleInfo { role: Cvp, key: "cvp", aliases: &["cvp-server", "cvp-call-server"], title: "CVP Call/VXML Server", platform: Platform::Windows, presents: &[CvpWsm, CvpVxml, CvpCallServer], stores: &[CvpKeystore] },
    RoleInfo { role: CvpReporting, key: "cvp-reporting", aliases: &[], title: "CVP Reporting Server", platform: Platform::Windows, presents: &[CvpWsm, CvpCallServer], stores: &[CvpKeystore] },
    RoleInfo { role: EceWeb, key: "ece-web", aliases: &[], title: "ECE web server", platform: Platform::Windows, presents: &[Iis], stores: &[] },
    RoleInfo { role: EceApp, key: "ece-app", aliases: &["ece-services"], title: "ECE application server", platform: Platform::Windows, presents: &[], stores: &[EceLdapsJks] },
    RoleInfo { role: AdGc, key: "ad-gc", aliases: &["ad", "global-catalog"], title: "AD global catalog", platform: Platform::Windows, presents: &[LdapsGc], stores: &[] },
    RoleInfo { role: Finesse, key: "finesse", aliases: &[], title: "Finesse", platform: Platform::Vos, presents: &[Tomcat], stores: &[TomcatTrust] },
    RoleInfo { role: Cuic, key: "cuic", aliases: &[], title: "CUIC", platform: Platform::Vos, presents: &[Tomcat], stores: &[TomcatTrust] },
    RoleInfo { role: LiveData, key: "livedata", aliases: &["ld", "live-data"], title: "Live Data", platform: Platform::Vos, presents: &[Tomcat], stores: &[TomcatTrust] },
    RoleInfo { role: Ids, key: "ids", aliases: &["identity-server"], title: "Identity Server", platform: Platform::Vos, presents: &[Tomcat], stores: &[TomcatTrust] },
    RoleInfo { role: Cucm, key: "cucm", aliases: &[], title: "CUCM", platform: Platform::Vos, presents: &[Tomcat], stores: &[TomcatTrust] },
    RoleInfo { role: Vvb, key: "vvb", aliases: &[], title: "VVB", platform: Platform::Vos, presents: &[Tomcat], stores: &[TomcatTrust] },
    RoleInfo { role: CloudConnect, key: "cloudconnect", aliases: &["cloud-connect"], title: "Cloud Connect", platform: Platform::Vos, presents: &[Tomcat], stores: &[TomcatTrust] },
    RoleInfo { role: Uccx, key: "uccx", aliases: &[], title: "UCCX", platform: Platform::Vos, presents: &[Tomcat, TomcatEcdsa], stores: &[TomcatTrust] },
    RoleInfo { role: SocialMiner, key: "socialminer", aliases: &["ccp"], title: "SocialMiner/CCP", platform: Platform::Vos, presents: &[Tomcat, TomcatEcdsa], stores: &[TomcatTrust] },
    RoleInfo { role: MediaSense, key: "mediasense", aliases: &[], title: "MediaSense", platform: Platform::Vos, presents: &[Tomcat], stores: &[TomcatTrust] },
    RoleInfo { role: Desktop, key: "desktop", aliases: &["browser"], title: "Agent/supervisor desktop", platform: Platform::Desktop, presents: &[], stores: &[BrowserRoot] },
    RoleInfo { role: LoadBalancer, key: "load-balancer", aliases: &["lb", "nlb"], title: "Load balancer", platform: Platform::Appliance, presents: &[Iis], stores: &[] },
    RoleInfo { role: ThirdPartyHttps, key: "third-party-https", aliases: &["web-service"], title: "Third-party HTTPS server", platform: Platform::Appliance, presents: &[Https], stores: &[] },
];

impl Role {
    /// This role's row.
    pub fn info(self) -> &'static RoleInfo {
        // Every variant has a row; the fallback keeps this total without a panic path.
        ROLES.iter().find(|r| r.role == self).unwrap_or(&ROLES[0])
    }

    /// Parses an inventory spelling (case-insensitive; aliases accepted).
    pub fn from_key(s: &str) -> Option<Role> {
        let s = s.to_ascii_lowercase();
        ROLES
            .iter()
            .find(|r| r.key == s || r.aliases.contains(&s.as_str()))
            .map(|r| r.role)
    }

    /// The inventory spelling.
    pub fn key(self) -> &'static str {
        self.info().key
    }

    /// VOS appliances share `tomcat-trust` across a cluster.
    pub fn is_vos(self) -> bool {
        self.info().platform == Platform::Vos
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.info().title)
    }
}

/// Facts about one presented certificate.
#[derive(Debug)]
pub struct ServiceInfo {
    /// The service.
    pub service: Service,
    /// The inventory spelling (`iis`, `dfp`, `tomcat`…).
    pub key: &'static str,
    /// What it is, in an administrator's words.
    pub title: &'static str,
    /// The usual port (see [`Service::port`] for role- and system-dependent ports).
    pub port: u16,
    /// The alias of the server's own key pair in its keystore, when the server keeps one (CVP).
    pub own_alias: Option<&'static str>,
    /// Conventional exported file name (`ICM{svr}{a|b}.cer`…), for instructions.
    pub export_hint: &'static str,
}

/// Every presented certificate the catalog knows.
#[rustfmt::skip]
pub const SERVICES: &[ServiceInfo] = &[
    ServiceInfo { service: Iis, key: "iis", title: "IIS web server", port: 443, own_alias: None, export_hint: "ICM{svr}{a|b}.cer (export from https://{fqdn})" },
    ServiceInfo { service: Dfp, key: "dfp", title: "Diagnostic Framework Portico", port: 7890, own_alias: None, export_hint: "dfp{svr}{a|b}.cer (https://{fqdn}:7890/icm-dp/rest/DiagnosticPortal/GetProductVersion)" },
    ServiceInfo { service: CtiSecure, key: "cti", title: "CTI server secure port", port: 42030, own_alias: None, export_hint: "C:\\icm\\ssl\\certs\\host.pem" },
    ServiceInfo { service: CvpWsm, key: "wsm", title: "CVP Web Services Manager", port: 8111, own_alias: Some("wsm_certificate"), export_hint: "wsmcs{X}.crt (keytool -export -alias wsm_certificate)" },
    ServiceInfo { service: CvpVxml, key: "vxml", title: "CVP VXML Server (HTTPS)", port: 7443, own_alias: Some("vxml_certificate"), export_hint: "vxml.crt (keytool -export -alias vxml_certificate)" },
    ServiceInfo { service: CvpCallServer, key: "callserver", title: "CVP Call Server (SIP/TLS)", port: 5061, own_alias: Some("callserver_certificate"), export_hint: "callserver.crt (keytool -export -alias callserver_certificate)" },
    ServiceInfo { service: Tomcat, key: "tomcat", title: "tomcat (HTTPS)", port: 443, own_alias: None, export_hint: "tomcat.pem (OS Administration › Certificate Management)" },
    ServiceInfo { service: TomcatEcdsa, key: "tomcat-ecdsa", title: "tomcat-ECDSA (HTTPS, 11.5)", port: 443, own_alias: None, export_hint: "tomcat-ECDSA.pem" },
    ServiceInfo { service: LdapsGc, key: "ldaps", title: "LDAPS global catalog", port: 3269, own_alias: None, export_hint: "Base-64 LDAPS certificate of the domain controller" },
    ServiceInfo { service: Https, key: "https", title: "HTTPS", port: 443, own_alias: None, export_hint: "the server's chain" },
];

impl Service {
    /// This service's row.
    pub fn info(self) -> &'static ServiceInfo {
        SERVICES
            .iter()
            .find(|s| s.service == self)
            .unwrap_or(&SERVICES[0])
    }

    /// Parses an inventory spelling.
    pub fn from_key(s: &str) -> Option<Service> {
        let s = s.to_ascii_lowercase();
        SERVICES.iter().find(|i| i.key == s).map(|i| i.service)
    }

    /// The inventory spelling.
    pub fn key(self) -> &'static str {
        self.info().key
    }

    /// The port a client connects to for this service on a host of `role`. `system_id` is the
    /// ICM system ID: the CTI server's secure port is 42030 + 2000 × (id − 1).
    pub fn port(self, role: Role, system_id: u32) -> u16 {
        match (self, role) {
            (CtiSecure, _) => {
                let p = 42030u32 + 2000 * system_id.saturating_sub(1);
                u16::try_from(p).unwrap_or(u16::MAX)
            }
            (Tomcat, Role::Finesse) => 8445,
            (Tomcat, Role::Cuic) => 8444,
            (Tomcat, Role::LiveData) => 12015,
            (Tomcat, Role::Uccx) => 7443,
            _ => self.info().port,
        }
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.info().title)
    }
}

/// Facts about one kind of store.
#[derive(Debug)]
pub struct StoreInfo {
    /// The store.
    pub kind: StoreKind,
    /// The inventory spelling.
    pub key: &'static str,
    /// Its name on the server.
    pub title: &'static str,
    /// Its encoding.
    pub format: StoreFormat,
    /// Its default location on the server (empty when it has none, e.g. VOS).
    pub default_path: &'static str,
    /// Where its password comes from.
    pub password: PasswordSource,
    /// Whether an upload on a VOS publisher reaches the subscribers.
    pub replicates: bool,
    /// What must be restarted after a change, in the vendor's words.
    pub restart: &'static str,
}

/// Every store the catalog knows.
#[rustfmt::skip]
pub const STORES: &[StoreInfo] = &[
    StoreInfo { kind: JavaCacerts, key: "cacerts", title: "Java cacerts", format: StoreFormat::Jks, default_path: r"C:\Program Files (x86)\Java\jre1.8.0_221\lib\security\cacerts", password: PasswordSource::Default("changeit"), replicates: false, restart: "Restart the Apache Tomcat service" },
    StoreInfo { kind: CvpKeystore, key: "cvp-keystore", title: "CVP keystore (JCEKS)", format: StoreFormat::Jceks, default_path: r"%CVP_HOME%\conf\security\keystore", password: PasswordSource::CvpSecurityProperties, replicates: false, restart: "Restart the Cisco CVP Call Server service (reboot a reporting server)" },
    StoreInfo { kind: CtiCerts, key: "cti-certs", title: "CTI server certificates (CiscoCertUtil)", format: StoreFormat::PemFolder, default_path: r"C:\icm\ssl\certs", password: PasswordSource::None, replicates: false, restart: "Restart the PG service (Unified CCE Service Control)" },
    StoreInfo { kind: EceLdapsJks, key: "ece-ldaps", title: "ECE LDAPS keystore (JKS)", format: StoreFormat::Jks, default_path: r"C:\ece\pcce\mydomain.jks", password: PasswordSource::Chosen, replicates: false, restart: "Restart the ECE services (Cisco Service) on every application server" },
    StoreInfo { kind: TomcatTrust, key: "tomcat-trust", title: "tomcat-trust", format: StoreFormat::PemFolder, default_path: "", password: PasswordSource::None, replicates: true, restart: "utils system restart" },
    StoreInfo { kind: BrowserRoot, key: "browser", title: "browser / OS root store", format: StoreFormat::PemFolder, default_path: "", password: PasswordSource::None, replicates: false, restart: "Restart the browser" },
];

impl StoreKind {
    /// This store's row.
    pub fn info(self) -> &'static StoreInfo {
        STORES.iter().find(|s| s.kind == self).unwrap_or(&STORES[0])
    }

    /// Parses an inventory spelling.
    pub fn from_key(s: &str) -> Option<StoreKind> {
        let s = s.to_ascii_lowercase();
        STORES.iter().find(|i| i.key == s).map(|i| i.kind)
    }

    /// The inventory spelling.
    pub fn key(self) -> &'static str {
        self.info().key
    }
}

impl fmt::Display for StoreKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.info().title)
    }
}

/// Which exporters of a role a requirement concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExporterScope {
    /// Every host of the exporter roles other than the importer.
    Every,
    /// Every host of the exporter roles, the importer included: an AW/ADS's CCE
    /// Administration reaches the IIS and Diagnostic Portico of every ADS by FQDN, its own too.
    EveryAndItself,
    /// Only VOS publishers (the CUCM PG downloads JTAPI from the CUCM publisher).
    Publisher,
}

/// When a requirement applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    /// Always, when both roles are present.
    Always,
    /// Only when the certificates are CA-signed (CTI server ↔ Finesse mutual TLS).
    CaSignedOnly,
}

/// One row of the who-trusts-whom matrix.
#[derive(Debug)]
pub struct Requirement {
    /// A stable identifier for reports (`aw.trusts.rogger`).
    pub id: &'static str,
    /// Roles that must trust.
    pub importers: &'static [Role],
    /// Roles whose certificates must be trusted.
    pub exporters: &'static [Role],
    /// Which certificates, each with the alias convention in the importer's store.
    pub services: &'static [(Service, AliasConvention)],
    /// The importer's store.
    pub store: StoreKind,
    /// Who among the exporters.
    pub scope: ExporterScope,
    /// When it applies.
    pub condition: Condition,
    /// Why, in one sentence (what breaks without it).
    pub why: &'static str,
}

const IIS_DFP: &[(Service, AliasConvention)] = &[
    (Iis, AliasConvention::Fqdn("_IIS")),
    (Dfp, AliasConvention::Fqdn("_DFP")),
];
const IIS_FQDN: &[(Service, AliasConvention)] = &[(Iis, AliasConvention::Fqdn(""))];
const IIS_SUFFIXED: &[(Service, AliasConvention)] = &[(Iis, AliasConvention::Fqdn("_IIS"))];
const WSM_FQDN: &[(Service, AliasConvention)] = &[(CvpWsm, AliasConvention::Fqdn(""))];
const TOMCAT_FQDN: &[(Service, AliasConvention)] = &[(Tomcat, AliasConvention::Fqdn(""))];
const TOMCAT_VOS: &[(Service, AliasConvention)] = &[(Tomcat, AliasConvention::CommonName)];
const CVP_TO_VVB: &[(Service, AliasConvention)] = &[
    (CvpVxml, AliasConvention::CommonName),
    (CvpCallServer, AliasConvention::CommonName),
];
const TOMCAT_BROWSER: &[(Service, AliasConvention)] = &[(Tomcat, AliasConvention::None)];
const HTTPS_VOS: &[(Service, AliasConvention)] = &[(Https, AliasConvention::CommonName)];

/// The who-trusts-whom matrix of `CCE-TRUST.md` §2 (PCCE/UCCE 12.5, UCCX, ECE, CVP).
#[rustfmt::skip]
pub const REQUIREMENTS: &[Requirement] = &[
    Requirement { id: "aw.trusts.cce-servers", importers: &[AwAds], exporters: &[Router, Logger, Rogger, Pg, AwAds], services: IIS_DFP, store: JavaCacerts, scope: ExporterScope::EveryAndItself, condition: Condition::Always, why: "CCE Administration (SPOG) reaches every CCE server's IIS and Diagnostic Portico" },
    Requirement { id: "aw.trusts.cvp", importers: &[AwAds], exporters: &[Cvp, CvpReporting], services: WSM_FQDN, store: JavaCacerts, scope: ExporterScope::Every, condition: Condition::Always, why: "CCE Administration manages CVP through its Web Services Manager" },
    Requirement { id: "aw.trusts.vos", importers: &[AwAds], exporters: &[CloudConnect, Vvb, Cucm, Finesse, Cuic, LiveData, Ids], services: TOMCAT_FQDN, store: JavaCacerts, scope: ExporterScope::Every, condition: Condition::Always, why: "CCE Administration configures the VOS applications over HTTPS" },
    Requirement { id: "aw.trusts.ece-web", importers: &[AwAds], exporters: &[EceWeb], services: IIS_FQDN, store: JavaCacerts, scope: ExporterScope::Every, condition: Condition::Always, why: "the ECE gadget in CCE Administration loads from the ECE web server" },
    Requirement { id: "router-logger.trusts.aw", importers: &[Router, Logger, Rogger], exporters: &[AwAds], services: IIS_SUFFIXED, store: JavaCacerts, scope: ExporterScope::Every, condition: Condition::Always, why: "Router and Logger call the ADS over HTTPS" },
    Requirement { id: "cucm-pg.trusts.cucm", importers: &[CucmPg], exporters: &[Cucm], services: TOMCAT_FQDN, store: JavaCacerts, scope: ExporterScope::Publisher, condition: Condition::Always, why: "the CUCM PG downloads the JTAPI client from the CUCM publisher" },
    Requirement { id: "cvp.trusts.aw", importers: &[Cvp, CvpReporting], exporters: &[AwAds], services: IIS_FQDN, store: CvpKeystore, scope: ExporterScope::Every, condition: Condition::Always, why: "CVP and its reporting server call the ADS over HTTPS" },
    Requirement { id: "cvp.trusts.vos", importers: &[Cvp], exporters: &[CloudConnect, Vvb], services: TOMCAT_FQDN, store: CvpKeystore, scope: ExporterScope::Every, condition: Condition::Always, why: "CVP reaches Cloud Connect (WXM) and VVB (secure SIP and HTTP)" },
    Requirement { id: "vvb.trusts.cvp", importers: &[Vvb], exporters: &[Cvp], services: CVP_TO_VVB, store: TomcatTrust, scope: ExporterScope::Every, condition: Condition::Always, why: "VVB fetches VXML over HTTPS and sends SIP over TLS to CVP" },
    Requirement { id: "finesse.trusts.cuic", importers: &[Finesse], exporters: &[Cuic, LiveData], services: TOMCAT_VOS, store: TomcatTrust, scope: ExporterScope::Every, condition: Condition::Always, why: "the Finesse desktop embeds CUIC and Live Data gadgets" },
    Requirement { id: "cuic.trusts.finesse", importers: &[Cuic], exporters: &[Finesse], services: TOMCAT_VOS, store: TomcatTrust, scope: ExporterScope::Every, condition: Condition::Always, why: "CUIC and Live Data authenticate Finesse users" },
    Requirement { id: "ece-app.trusts.ad-gc", importers: &[EceApp], exporters: &[AdGc], services: &[(LdapsGc, AliasConvention::ShortName)], store: EceLdapsJks, scope: ExporterScope::Every, condition: Condition::Always, why: "ECE partition-admin SSO binds to the global catalog over LDAPS (3269)" },
    Requirement { id: "cti.trusts.finesse", importers: &[CtiServer], exporters: &[Finesse], services: &[(Tomcat, AliasConvention::CommonName)], store: CtiCerts, scope: ExporterScope::Every, condition: Condition::CaSignedOnly, why: "the CTI server authenticates Finesse as a TLS client (mutual TLS, CCE 12)" },
    Requirement { id: "finesse.trusts.cti", importers: &[Finesse], exporters: &[CtiServer], services: &[(CtiSecure, AliasConvention::CommonName)], store: TomcatTrust, scope: ExporterScope::Every, condition: Condition::CaSignedOnly, why: "Finesse connects to the CTI server's secure port" },
    Requirement { id: "uccx.trusts.socialminer", importers: &[Uccx], exporters: &[SocialMiner], services: TOMCAT_VOS, store: TomcatTrust, scope: ExporterScope::Every, condition: Condition::Always, why: "UCCX reaches SocialMiner/CCP for chat and email" },
    Requirement { id: "socialminer.trusts.uccx", importers: &[SocialMiner], exporters: &[Uccx], services: TOMCAT_VOS, store: TomcatTrust, scope: ExporterScope::Every, condition: Condition::Always, why: "SocialMiner/CCP calls back UCCX publisher and subscriber" },
    Requirement { id: "uccx.trusts.cucm", importers: &[Uccx], exporters: &[Cucm], services: TOMCAT_VOS, store: TomcatTrust, scope: ExporterScope::Every, condition: Condition::Always, why: "Finesse on UCCX authenticates agents against CUCM (AXL over HTTPS)" },
    Requirement { id: "uccx.trusts.third-party", importers: &[Uccx], exporters: &[ThirdPartyHttps], services: HTTPS_VOS, store: TomcatTrust, scope: ExporterScope::Every, condition: Condition::Always, why: "UCCX scripts call the server over HTTPS (restart the UCCX engine after the upload)" },
    Requirement { id: "desktop.trusts.vos", importers: &[Desktop], exporters: &[Uccx, Finesse, Cuic, LiveData, SocialMiner], services: TOMCAT_BROWSER, store: BrowserRoot, scope: ExporterScope::Every, condition: Condition::Always, why: "agents' browsers load Finesse, CUIC, Live Data, UCCX and SocialMiner pages" },
];

/// A product line, as the inventory names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Product {
    /// Packaged CCE.
    Pcce,
    /// Unified CCE.
    Ucce,
    /// Unified CC Express.
    Uccx,
}

impl Product {
    /// Parses the inventory spelling.
    pub fn from_key(s: &str) -> Option<Product> {
        Some(match s.to_ascii_lowercase().as_str() {
            "pcce" => Product::Pcce,
            "ucce" => Product::Ucce,
            "uccx" => Product::Uccx,
            _ => return None,
        })
    }

    /// The inventory spelling.
    pub fn key(self) -> &'static str {
        match self {
            Product::Pcce => "pcce",
            Product::Ucce => "ucce",
            Product::Uccx => "uccx",
        }
    }
}

/// A product version, `major.minor` (`12.5`, `11.6`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    /// Major.
    pub major: u32,
    /// Minor.
    pub minor: u32,
}

impl Version {
    /// Parses `12.5`, `12.5(1)`, `11.6.2`.
    pub fn parse(s: &str) -> Option<Version> {
        let mut it = s.trim().split(['.', '(']);
        let major = it.next()?.trim().parse().ok()?;
        let minor = match it.next() {
            Some(m) => m.trim_end_matches(')').trim().parse().ok()?,
            None => 0,
        };
        Some(Version { major, minor })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// The key and signature rules a product version imposes on the certificates it uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPolicy {
    /// Smallest RSA modulus accepted.
    pub min_rsa_bits: u32,
    /// When set, the only RSA sizes accepted (UCCX: 1024 or 2048).
    pub allowed_rsa_bits: Option<&'static [u32]>,
    /// Whether only RSA keys are accepted (12.5 and later), except where
    /// [`KeyPolicy::accepts_ecdsa`] says otherwise.
    pub rsa_only: bool,
    /// The one service on which ECDSA is accepted whatever the role (`tomcat-ECDSA` on
    /// UCCX/SocialMiner 11.5); kept for callers that ask by service only. The full rule,
    /// by role, is [`KeyPolicy::accepts_ecdsa`].
    pub ecdsa_service: Option<Service>,
    /// The rows of [`ECDSA_SUPPORT`] that apply to this product and version.
    pub ecdsa: Vec<&'static EcdsaSupport>,
    /// Where the rule comes from, for the finding's sentence.
    pub source: &'static str,
}

/// Where a product release accepts ECDSA certificates: one row per release line and the
/// components its documentation names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EcdsaSupport {
    /// The product lines the row is for.
    pub products: &'static [Product],
    /// The first release it applies to.
    pub since: Version,
    /// The first release it no longer applies to (`None`: every later release).
    pub until: Option<Version>,
    /// The roles that may present an ECDSA certificate.
    pub roles: &'static [Role],
    /// When not empty, only these of the roles' certificates may be ECDSA.
    pub services: &'static [Service],
    /// The document that says so, for reports and for whoever checks the table.
    pub source: &'static str,
}

const fn v(major: u32, minor: u32) -> Version {
    Version { major, minor }
}

/// Which components accept ECDSA certificates, per product and release. A role/release that
/// no row covers is RSA-only from 12.5 on (`key.algorithm`).
///
/// - UCCE/PCCE 12.6(1) and 15.0(1), *Security Guide for Cisco Unified ICM/Contact Center
///   Enterprise*, "Certificate Management for Secured Connections › Certificates": "Unified CCE
///   solution supports both RSA and ECDSA certificates. These certificates can be enabled on the
///   following Unified CCE solution components—Cisco Unified CVP, Cisco Finesse, Cloud Connect,
///   CUIC, Cisco VVB, Cisco IdS, and ECE." (CVP counts its reporting server; ECE its web and
///   application servers.) The 15.0 guide adds, in its ECDSA considerations, that the CTI
///   server's ECDSA certificate is installed on Finesse, ECE and the Dialer before ECDSA is
///   enabled on the CTI server: the 15.0 row names the CTI server's secure port as well.
/// - 12.5: the certificate procedures generate RSA 2048 with SHA-256 only; no row.
/// - UCCX/SocialMiner 11.5: the VOS `tomcat-ECDSA` certificate, removed in 11.6.
pub const ECDSA_SUPPORT: &[EcdsaSupport] = &[
    EcdsaSupport {
        products: &[Product::Pcce, Product::Ucce],
        since: v(12, 6),
        until: Some(v(15, 0)),
        roles: &[Cvp, CvpReporting, Finesse, CloudConnect, Cuic, Vvb, Ids, EceWeb, EceApp],
        services: &[],
        source: "Security Guide for Cisco Unified ICM/Contact Center Enterprise 12.6(1): RSA and ECDSA on CVP, Finesse, Cloud Connect, CUIC, VVB, IdS and ECE",
    },
    EcdsaSupport {
        products: &[Product::Pcce, Product::Ucce],
        since: v(15, 0),
        until: None,
        roles: &[Cvp, CvpReporting, Finesse, CloudConnect, Cuic, Vvb, Ids, EceWeb, EceApp],
        services: &[],
        source: "Security Guide for Cisco Unified ICM/Contact Center Enterprise 15.0(1): RSA and ECDSA on CVP, Finesse, Cloud Connect, CUIC, VVB, IdS and ECE",
    },
    EcdsaSupport {
        products: &[Product::Pcce, Product::Ucce],
        since: v(15, 0),
        until: None,
        roles: &[CtiServer],
        services: &[CtiSecure],
        source: "Security Guide for Cisco Unified ICM/Contact Center Enterprise 15.0(1), considerations for enabling ECDSA: the CTI server's ECDSA certificate",
    },
    EcdsaSupport {
        products: &[Product::Uccx],
        since: v(11, 5),
        until: Some(v(11, 6)),
        roles: &[Uccx, SocialMiner],
        services: &[TomcatEcdsa],
        source: "UCCX/SocialMiner 11.5 tomcat-ECDSA (removed in 11.6)",
    },
];

impl EcdsaSupport {
    /// Whether the row is for `product` at `version`.
    pub fn applies(&self, product: Product, version: Version) -> bool {
        self.products.contains(&product)
            && version >= self.since
            && self.until.is_none_or(|u| version < u)
    }
}

impl KeyPolicy {
    /// The policy of a product version: 12.5 and later want RSA ≥ 2048 with SHA-256, and
    /// accept ECDSA only where [`ECDSA_SUPPORT`] says so (12.6 and 15.0 on CVP, Finesse, Cloud
    /// Connect, CUIC, VVB, IdS and ECE); UCCX accepts only 1024 or 2048-bit RSA, and ECDSA
    /// only as UCCX/SocialMiner 11.5's `tomcat-ECDSA`.
    pub fn for_product(product: Product, version: Version) -> KeyPolicy {
        let ecdsa: Vec<&'static EcdsaSupport> = ECDSA_SUPPORT
            .iter()
            .filter(|row| row.applies(product, version))
            .collect();
        // A single service when every row that applies is about that service alone (the
        // UCCX 11.5 shape); role-wide rows have no one service to name.
        let ecdsa_service = match ecdsa.first().map(|row| row.services) {
            Some(&[only]) if ecdsa.iter().all(|row| row.services == [only]) => Some(only),
            _ => None,
        };
        match product {
            Product::Uccx => KeyPolicy {
                min_rsa_bits: 1024,
                allowed_rsa_bits: Some(&[1024, 2048]),
                rsa_only: true,
                ecdsa_service,
                ecdsa,
                source: "UCCX accepts RSA 1024 or 2048 only",
            },
            Product::Pcce | Product::Ucce => KeyPolicy {
                min_rsa_bits: 2048,
                allowed_rsa_bits: None,
                rsa_only: version >= v(12, 5),
                ecdsa_service,
                ecdsa,
                source: if version >= v(12, 6) {
                    "CCE/CVP 12.6 and later require RSA 2048 or larger, or ECDSA where the Security Guide lists it"
                } else {
                    "CCE/CVP 12.5 require RSA 2048 or larger with SHA-256"
                },
            },
        }
    }

    /// Whether a certificate `role` presents as `service` may carry an ECDSA key: always when
    /// the policy is not RSA-only, otherwise when a row of [`ECDSA_SUPPORT`] names the role
    /// (and the service, if the row restricts them).
    pub fn accepts_ecdsa(&self, role: Role, service: Service) -> bool {
        !self.rsa_only
            || self.ecdsa.iter().any(|row| {
                row.roles.contains(&role)
                    && (row.services.is_empty() || row.services.contains(&service))
            })
    }

    /// The document behind the ECDSA rule for `role`, when a row names it.
    pub fn ecdsa_source(&self, role: Role) -> Option<&'static str> {
        self.ecdsa
            .iter()
            .find(|row| row.roles.contains(&role))
            .map(|row| row.source)
    }
}

/// Deployment sizes a PCCE inventory may declare (agents).
pub const SIZES: &[u32] = &[2000, 4000, 12000];

/// OIDs of the only extensions UCCX accepts as critical in certificates it trusts from CUCM:
/// keyUsage (2.5.29.15) and basicConstraints (2.5.29.19).
pub const UCCX_ALLOWED_CRITICAL: &[&str] = &["2.5.29.15", "2.5.29.19"];

/// The requirements whose importer accepts the exporter's chain only when nothing but
/// [`UCCX_ALLOWED_CRITICAL`] is marked critical (UCCX's Java client with CUCM's tomcat): the
/// exporter's certificates are checked (`ext.critical-unsupported`) and the edge fails.
pub const ONLY_KU_BC_CRITICAL: &[&str] = &["uccx.trusts.cucm"];

/// The requirements whose exporter is the TLS *client*: it presents its certificate to the
/// importer's server (mutual TLS), and the importer checks the chain, the validity and the
/// clientAuth EKU — never a host name (RFC 5280 §4.2.1.12; a TLS server does not match the
/// client's certificate against a name). The CTI server authenticates Finesse this way on its
/// secure port (CCE 12).
pub const EXPORTER_IS_CLIENT: &[&str] = &["cti.trusts.finesse"];

/// Certificates that must allow both TLS server and client authentication
/// (`eku.missing-client-server`) once a host of role `when` is in the deployment.
#[derive(Debug)]
pub struct ClientServerEku {
    /// The role whose presence makes the rule apply.
    pub when: Role,
    /// The (role, certificate) pairs it applies to.
    pub certificates: &'static [(Role, Service)],
}

/// CCE 12 CTI over TLS: the CTI server and Finesse authenticate each other.
pub const CLIENT_SERVER_EKU: ClientServerEku = ClientServerEku {
    when: CtiServer,
    certificates: &[(CtiServer, CtiSecure), (Finesse, Tomcat)],
};

/// Restarts a change to a store needs on hosts of a role, beyond the store's own
/// ([`StoreInfo::restart`]).
pub const EXTRA_RESTARTS: &[(Role, StoreKind, &str)] = &[(
    Uccx,
    TomcatTrust,
    "for scripts' HTTPS trust restart the Cisco Unified CCX Engine",
)];

/// Whether browsers load `service` of `role`: the role exports it into a browser store in
/// [`REQUIREMENTS`] (desktops trusting Finesse, CUIC, Live Data, UCCX, SocialMiner). A CN
/// missing from the SANs breaks those pages outright (`name.cn-not-in-san` is an error).
pub fn browser_facing(role: Role, service: Service) -> bool {
    REQUIREMENTS.iter().any(|r| {
        r.store == BrowserRoot
            && r.exporters.contains(&role)
            && r.services.iter().any(|(s, _)| *s == service)
    })
}

impl Requirement {
    /// The requirement with this id.
    pub fn by_id(id: &str) -> Option<&'static Requirement> {
        REQUIREMENTS.iter().find(|r| r.id == id)
    }
}

/// Validity a regenerated self-signed certificate gets (5 years; 3–5 is the usual choice).
pub const REGENERATE_VALIDITY_DAYS: u32 = 1825;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_has_one_row_and_round_trips() {
        for r in ROLES {
            assert_eq!(Role::from_key(r.key), Some(r.role));
            assert_eq!(ROLES.iter().filter(|x| x.role == r.role).count(), 1);
        }
    }

    #[test]
    fn every_role_the_design_names_is_in_the_catalog() {
        // The roles of issue #5: AW/ADS, Router, Logger, Rogger, PG, CTI server, CVP
        // call/VXML, CVP reporting, ECE web, ECE application, AD global catalog, Finesse,
        // CUIC, Live Data, IDS, CUCM, VVB, Cloud Connect, UCCX, SocialMiner/CCP, MediaSense,
        // desktops, load balancer.
        let named = [
            ("aw", AwAds),
            ("router", Router),
            ("logger", Logger),
            ("rogger", Rogger),
            ("pg", Pg),
            ("cti", CtiServer),
            ("cvp", Cvp),
            ("cvp-reporting", CvpReporting),
            ("ece-web", EceWeb),
            ("ece-app", EceApp),
            ("ad-gc", AdGc),
            ("finesse", Finesse),
            ("cuic", Cuic),
            ("livedata", LiveData),
            ("ids", Ids),
            ("cucm", Cucm),
            ("vvb", Vvb),
            ("cloudconnect", CloudConnect),
            ("uccx", Uccx),
            ("ccp", SocialMiner),
            ("mediasense", MediaSense),
            ("desktop", Desktop),
            ("load-balancer", LoadBalancer),
        ];
        for (key, role) in named {
            assert_eq!(Role::from_key(key), Some(role), "{key}");
        }
        // Each presents or validates with something (a role with neither would be dead data),
        // and every Windows role that validates does it with a store that has a path.
        for r in ROLES {
            assert!(
                !r.presents.is_empty() || !r.stores.is_empty(),
                "{:?}",
                r.role
            );
            if r.platform == Platform::Windows {
                for s in r.stores {
                    assert!(!s.info().default_path.is_empty(), "{:?} {:?}", r.role, s);
                }
            }
        }
    }

    #[test]
    fn every_requirement_store_is_held_by_its_importers() {
        for req in REQUIREMENTS {
            for imp in req.importers {
                assert!(
                    imp.info().stores.contains(&req.store),
                    "{} {:?}",
                    req.id,
                    imp
                );
            }
            for exp in req.exporters {
                for (svc, _) in req.services {
                    assert!(
                        exp.info().presents.contains(svc),
                        "{} {:?} {:?}",
                        req.id,
                        exp,
                        svc
                    );
                }
            }
        }
    }

    #[test]
    fn role_bound_rules_name_real_requirements_and_roles() {
        for id in EXPORTER_IS_CLIENT {
            assert!(Requirement::by_id(id).is_some(), "{id}");
        }
        for id in ONLY_KU_BC_CRITICAL {
            let r = Requirement::by_id(id).expect(id);
            assert!(r.store == TomcatTrust, "{id}: a VOS trust store");
        }
        for (role, svc) in CLIENT_SERVER_EKU.certificates {
            assert!(role.info().presents.contains(svc), "{role:?} {svc:?}");
        }
        // The browser-facing certificates are those desktops load (CCE-TRUST.md §2).
        for r in [
            Role::Finesse,
            Role::Cuic,
            Role::LiveData,
            Role::Uccx,
            Role::SocialMiner,
        ] {
            assert!(browser_facing(r, Tomcat), "{r:?}");
        }
        assert!(!browser_facing(Role::Cucm, Tomcat));
        assert!(!browser_facing(Role::AwAds, Iis));
        for (role, kind, _) in EXTRA_RESTARTS {
            assert!(role.info().stores.contains(kind), "{role:?} {kind:?}");
        }
    }

    /// (product, version, role, service, ECDSA accepted, rule)
    const ECDSA_CASES: &[(Product, &str, Role, Service, bool, &str)] = &[
        (
            Product::Pcce,
            "12.5(1)",
            Finesse,
            Tomcat,
            false,
            "12.5 procedures: RSA 2048 + SHA-256",
        ),
        (
            Product::Ucce,
            "12.5",
            Cvp,
            CvpWsm,
            false,
            "CVP 12.5: RSA 2048",
        ),
        (
            Product::Pcce,
            "12.6(1)",
            Finesse,
            Tomcat,
            true,
            "12.6(1) Security Guide: Finesse",
        ),
        (
            Product::Pcce,
            "12.6(2)",
            Cuic,
            Tomcat,
            true,
            "12.6 Security Guide: CUIC",
        ),
        (
            Product::Ucce,
            "12.6",
            Cvp,
            CvpWsm,
            true,
            "12.6 Security Guide: CVP",
        ),
        (
            Product::Ucce,
            "12.6",
            CvpReporting,
            CvpWsm,
            true,
            "12.6 Security Guide: CVP (reporting)",
        ),
        (
            Product::Pcce,
            "12.6",
            Vvb,
            Tomcat,
            true,
            "12.6 Security Guide: VVB",
        ),
        (
            Product::Pcce,
            "12.6",
            Ids,
            Tomcat,
            true,
            "12.6 Security Guide: IdS",
        ),
        (
            Product::Pcce,
            "12.6",
            CloudConnect,
            Tomcat,
            true,
            "12.6 Security Guide: Cloud Connect",
        ),
        (
            Product::Pcce,
            "12.6",
            EceWeb,
            Iis,
            true,
            "12.6 Security Guide: ECE",
        ),
        (
            Product::Pcce,
            "12.6",
            AwAds,
            Iis,
            false,
            "12.6 Security Guide: not the CCE Windows servers",
        ),
        (
            Product::Pcce,
            "12.6",
            Rogger,
            Dfp,
            false,
            "12.6 Security Guide: not the CCE Windows servers",
        ),
        (
            Product::Pcce,
            "12.6",
            LiveData,
            Tomcat,
            false,
            "12.6 Security Guide: Live Data not listed",
        ),
        (
            Product::Pcce,
            "12.6",
            Cucm,
            Tomcat,
            false,
            "12.6 Security Guide: CUCM is not a CCE component",
        ),
        (
            Product::Pcce,
            "12.6",
            CtiServer,
            CtiSecure,
            false,
            "12.6 Security Guide: CTI server not listed",
        ),
        (
            Product::Pcce,
            "15.0(1)",
            Finesse,
            Tomcat,
            true,
            "15.0 Security Guide: Finesse",
        ),
        (
            Product::Ucce,
            "15.0",
            Cvp,
            CvpVxml,
            true,
            "15.0 Security Guide: CVP",
        ),
        (
            Product::Ucce,
            "15.0",
            CtiServer,
            CtiSecure,
            true,
            "15.0 Security Guide: the CTI server's ECDSA certificate",
        ),
        (
            Product::Ucce,
            "15.0",
            AwAds,
            Iis,
            false,
            "15.0 Security Guide: not the AW",
        ),
        (
            Product::Uccx,
            "11.5",
            Uccx,
            TomcatEcdsa,
            true,
            "UCCX 11.5 tomcat-ECDSA",
        ),
        (
            Product::Uccx,
            "11.5",
            Uccx,
            Tomcat,
            false,
            "UCCX 11.5: tomcat stays RSA",
        ),
        (
            Product::Uccx,
            "11.6",
            Uccx,
            TomcatEcdsa,
            false,
            "tomcat-ECDSA removed in 11.6",
        ),
        (
            Product::Pcce,
            "12.0",
            AwAds,
            Iis,
            true,
            "before 12.5 the catalog has no RSA-only rule",
        ),
    ];

    #[test]
    fn ecdsa_follows_the_product_release_and_role() {
        for (product, version, role, service, accepted, rule) in ECDSA_CASES {
            let p = KeyPolicy::for_product(*product, Version::parse(version).expect(version));
            assert_eq!(
                p.accepts_ecdsa(*role, *service),
                *accepted,
                "{product:?} {version} {role:?} {service:?}: {rule}"
            );
        }
        // Every row names its document, and the policy finds it.
        let p = KeyPolicy::for_product(Product::Pcce, v(12, 6));
        assert!(p
            .ecdsa_source(Finesse)
            .is_some_and(|s| s.contains("12.6(1)")));
        assert_eq!(p.ecdsa_source(AwAds), None);
        // The service-only view of the old API is unchanged.
        assert_eq!(
            KeyPolicy::for_product(Product::Uccx, v(11, 5)).ecdsa_service,
            Some(TomcatEcdsa)
        );
        assert_eq!(
            KeyPolicy::for_product(Product::Pcce, v(15, 0)).ecdsa_service,
            None
        );
        for row in ECDSA_SUPPORT {
            assert!(row.until.is_none_or(|u| u > row.since), "{}", row.source);
            for r in row.roles {
                for s in row.services {
                    assert!(r.info().presents.contains(s), "{r:?} {s:?}: {}", row.source);
                }
            }
        }
    }

    #[test]
    fn cti_port_follows_system_id() {
        assert_eq!(CtiSecure.port(Role::CtiServer, 1), 42030);
        assert_eq!(CtiSecure.port(Role::CtiServer, 3), 46030);
    }

    #[test]
    fn versions_parse() {
        assert_eq!(
            Version::parse("12.5(1)"),
            Some(Version {
                major: 12,
                minor: 5
            })
        );
        assert_eq!(
            Version::parse("11.6.2"),
            Some(Version {
                major: 11,
                minor: 6
            })
        );
        assert_eq!(Version::parse("x"), None);
    }
}
