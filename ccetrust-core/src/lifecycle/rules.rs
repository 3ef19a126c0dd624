//! What a role's product and release accept, checked before a key is made: the key rules
//! come from the catalog ([`KeyPolicy::for_product`], which transcribes `CCE-TRUST.md`
//! §`key.too-small`/`key.algorithm`), and the table below adds what each role's procedures
//! ask of a generated certificate (EKU, keystore type). One row per role; a role not in
//! the table gets the catalog's key rule and the server EKU.

use super::{Eku, KeyAlgorithm, KeySpec, LifecycleError};
use crate::cce::catalog::{KeyPolicy, Product, Version};
use crate::cce::Role;

/// What the procedures for a role make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoleDefaults {
    /// The role.
    pub role: Role,
    /// The EKU the role's certificate needs.
    pub eku: Eku,
    /// The keystore type its certificate lives in, when it is a Java keystore.
    pub storetype: Option<&'static str>,
    /// The procedure the row follows.
    pub source: &'static str,
}

/// The per-role table (`CCE-TRUST.md` §1 and §5).
pub const ROLE_DEFAULTS: &[RoleDefaults] = &[
    RoleDefaults {
        role: Role::Cvp,
        eku: Eku::ServerClient,
        storetype: Some("jceks"),
        source: "CVP: keytool -genkeypair -keyalg RSA -keysize 2048 -storetype JCEKS (.keystore)",
    },
    RoleDefaults {
        role: Role::CvpReporting,
        eku: Eku::ServerClient,
        storetype: Some("jceks"),
        source: "CVP Reporting: as the Call Server, in the CVP JCEKS keystore",
    },
    RoleDefaults {
        role: Role::CtiServer,
        eku: Eku::ServerClient,
        storetype: None,
        source: "CiscoCertUtil /generateCSR: client and server EKU for the CTI server",
    },
    RoleDefaults {
        role: Role::AwAds,
        eku: Eku::ServerClient,
        storetype: None,
        source: "IIS/DFP on the AW: server EKU; client for the DFP REST calls",
    },
];

/// What [`check_role`] found: the row that applies and the catalog's key rule.
#[derive(Debug, Clone)]
pub struct RoleCheck {
    /// The role's defaults, when the table has a row.
    pub defaults: Option<RoleDefaults>,
    /// The key rule's source sentence.
    pub key_rule: &'static str,
}

/// Checks `spec` for `role` on `product` `version`; refuses, saying why, what that release
/// would reject (an ECDSA key where the release is RSA-only, an RSA size under the minimum
/// or outside the sizes UCCX accepts).
pub fn check_role(
    role: &str,
    product: &str,
    version: &str,
    spec: KeySpec,
) -> Result<RoleCheck, LifecycleError> {
    let opt = |option: &'static str, detail: String| LifecycleError::Option { option, detail };
    let shown = |s: &str| crate::shell::escape_control(s).into_owned();
    let r = Role::from_key(role).ok_or_else(|| {
        opt(
            "--role",
            format!("`{}` is not a role the catalog knows", shown(role)),
        )
    })?;
    let p = Product::from_key(product).ok_or_else(|| {
        opt(
            "--product",
            format!("`{}` is not pcce, ucce or uccx", shown(product)),
        )
    })?;
    let v = Version::parse(version).ok_or_else(|| {
        opt(
            "--version",
            format!("`{}` is not MAJOR.MINOR", shown(version)),
        )
    })?;
    let policy = KeyPolicy::for_product(p, v);
    let refuse = |detail: String| LifecycleError::Refused {
        role: r.key().to_string(),
        product: p.key().to_string(),
        version: v.to_string(),
        detail,
    };
    match spec.algorithm {
        KeyAlgorithm::Ec => {
            let services = r.info().presents;
            if !services.iter().any(|s| policy.accepts_ecdsa(r, *s)) {
                return Err(refuse(format!(
                    "an EC key is rejected ({}; key.algorithm): use --keyalg rsa --keysize 2048",
                    policy.source
                )));
            }
        }
        KeyAlgorithm::Rsa => {
            if spec.bits < policy.min_rsa_bits {
                return Err(refuse(format!(
                    "RSA {} is under {} bits ({}; key.too-small)",
                    spec.bits, policy.min_rsa_bits, policy.source
                )));
            }
            if let Some(allowed) = policy.allowed_rsa_bits {
                if !allowed.contains(&spec.bits) {
                    return Err(refuse(format!(
                        "RSA {} is not one of {:?} ({}; key.too-small)",
                        spec.bits, allowed, policy.source
                    )));
                }
            }
        }
    }
    Ok(RoleCheck {
        defaults: ROLE_DEFAULTS.iter().find(|d| d.role == r).copied(),
        key_rule: policy.source,
    })
}
