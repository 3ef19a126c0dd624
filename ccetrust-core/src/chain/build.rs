//! Path building: depth-first search from the target towards the trust anchors, trying every
//! certificate whose subject is the current certificate's issuer (anchors first), and
//! backtracking when a candidate fails (RFC 4158 §2-3).
//!
//! The search is bounded three ways: a certificate (subject + key) never appears twice on a
//! path, paths are at most [`MAX_DEPTH`] long, and a [`Budget`] caps signature checks, build
//! calls and name-constraint comparisons. Each failure met is remembered with its rank; when
//! the search ends without a path the most specific one is reported.

use std::collections::HashMap;

use super::cache;
use super::constraints::{self, Counter, NcError};
use super::keys::{self, PublicKey};
use super::policy::{self, Role};
use super::{describe, Requirements, VerdictCode, VerifyOptions};
use crate::cert::{Certificate, SignatureError};

/// The longest path considered (target + intermediates + anchor), as webpki and Go.
pub const MAX_DEPTH: usize = 8;

/// Work limits for one verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Signature verifications (each distinct child/issuer pair counts once).
    pub signatures: usize,
    /// Calls of the path-building step.
    pub build_calls: usize,
    /// Name-constraint comparisons.
    pub name_constraint_comparisons: usize,
}

impl Default for Budget {
    /// The limits rustls-webpki chose after the x509-limbo pathological cases: ample for
    /// any real chain, milliseconds on a hostile pool.
    fn default() -> Self {
        Budget {
            signatures: 100,
            build_calls: 200_000,
            name_constraint_comparisons: 250_000,
        }
    }
}

/// A failed path or an overall failure, in the administrator's words.
#[derive(Debug, Clone)]
pub(crate) struct Failure<'a> {
    pub code: VerdictCode,
    pub reason: String,
    pub concerns: Option<&'a Certificate>,
    pub warnings: Vec<String>,
}

/// An accepted path.
pub(crate) struct Found {
    pub path: Vec<Certificate>,
    pub warnings: Vec<String>,
}

struct Builder<'a> {
    /// 0 = target, then intermediates, then anchors.
    pool: Vec<&'a Certificate>,
    first_anchor: usize,
    by_subject: HashMap<&'a [u8], Vec<usize>>,
    keys: Vec<Option<Result<std::sync::Arc<PublicKey>, SignatureError>>>,
    verified: HashMap<(usize, usize), Result<(), SignatureError>>,
    checked: HashMap<(usize, bool), Result<Vec<String>, Failure<'a>>>,
    opts: &'a VerifyOptions,
    req: &'a Requirements,
    budget: Budget,
    signatures: usize,
    calls: usize,
    nc_used: usize,
    best: Option<Failure<'a>>,
}

enum Stop<'a> {
    /// This branch failed; try the next candidate.
    Dead,
    /// Give up the whole search.
    Fatal(Failure<'a>),
}

pub(crate) fn find_path<'a>(
    leaf: &'a Certificate,
    intermediates: &'a [Certificate],
    anchors: &'a [Certificate],
    opts: &'a VerifyOptions,
    req: &'a Requirements,
) -> Result<Found, Failure<'a>> {
    let mut pool: Vec<&Certificate> = Vec::with_capacity(1 + intermediates.len() + anchors.len());
    pool.push(leaf);
    pool.extend(intermediates.iter());
    let first_anchor = pool.len();
    pool.extend(anchors.iter());
    let mut by_subject: HashMap<&[u8], Vec<usize>> = HashMap::new();
    for (i, c) in pool.iter().enumerate().skip(1) {
        by_subject.entry(c.subject().der()).or_default().push(i);
    }
    // Anchors before intermediates: the shortest path to a trusted certificate first.
    for v in by_subject.values_mut() {
        v.sort_by_key(|&i| (i < first_anchor, i));
    }
    let n = pool.len();
    let mut b = Builder {
        pool,
        first_anchor,
        by_subject,
        keys: (0..n).map(|_| None).collect(),
        verified: HashMap::new(),
        checked: HashMap::new(),
        opts,
        req,
        budget: req.budget.unwrap_or_default(),
        signatures: 0,
        calls: 0,
        nc_used: 0,
        best: None,
    };

    let mut warnings = policy::check(leaf, Role::Target, opts, req)?;

    // A certificate that is itself in the trust store is trusted as it is, once its own
    // rules (checked above as the target) pass: keytool-imported self-signed IIS, DFP and CVP
    // certificates for Java (`PKIXValidator` accepts a chain whose first certificate is a
    // trusted certificate), and for browsers a self-signed certificate imported among the
    // trusted roots (Windows CryptoAPI and Chrome take it as a one-certificate path to its
    // own anchor). The path builder below would never find it: an issuer with the target's
    // own subject and key is a cycle (RFC 4158 §5.2).
    if let Some(how) = itself_in_store(leaf, anchors, opts.profile) {
        warnings.push(format!("{} is trusted because {how}", describe(leaf)));
        return Ok(Found {
            path: vec![leaf.clone()],
            warnings,
        });
    }

    let mut path = vec![0usize];
    match b.extend(&mut path) {
        Ok(mut w) => {
            warnings.append(&mut w);
            Ok(Found {
                path: path.iter().map(|&i| b.pool[i].clone()).collect(),
                warnings,
            })
        }
        Err(Stop::Fatal(f)) => Err(f),
        Err(Stop::Dead) => Err(b.best.take().unwrap_or_else(|| Failure {
            code: VerdictCode::UntrustedIssuer,
            reason: format!("no trusted issuer for {}", describe(leaf)),
            concerns: Some(leaf),
            warnings: Vec::new(),
        })),
    }
}

/// Why `leaf` is its own trust anchor under `profile`, if it is: Java matches the trusted
/// certificate by subject and key (a re-exported copy with other encoding details still
/// counts); a browser's root store holds the certificate itself, so it must be the very same
/// bytes, and self-signed (a leaf someone put among the roots without its issuer is not a
/// root).
fn itself_in_store(
    leaf: &Certificate,
    anchors: &[Certificate],
    profile: super::Profile,
) -> Option<&'static str> {
    match profile {
        super::Profile::Java => anchors
            .iter()
            .any(|a| {
                a.der() == leaf.der()
                    || (a.subject() == leaf.subject() && a.spki_der() == leaf.spki_der())
            })
            .then_some("it is itself in the trust store"),
        super::Profile::Browser => (anchors.iter().any(|a| a.der() == leaf.der())
            && leaf.is_self_signed())
        .then_some("it is self-signed and itself installed as a trusted root"),
    }
}

impl<'a> Builder<'a> {
    fn record(&mut self, f: Failure<'a>) {
        let better = match &self.best {
            None => true,
            Some(b) => f.code.rank() > b.code.rank(),
        };
        if better {
            self.best = Some(f);
        }
    }

    fn cert_check(&mut self, idx: usize, role: Role) -> Result<Vec<String>, Failure<'a>> {
        let key = (idx, role == Role::Anchor);
        if let Some(r) = self.checked.get(&key) {
            return r.clone();
        }
        let r = policy::check(self.pool[idx], role, self.opts, self.req);
        self.checked.insert(key, r.clone());
        r
    }

    /// Verifies that `issuer` signed `child`, counting against the budget once per pair.
    fn signed(
        &mut self,
        child: usize,
        issuer: usize,
    ) -> Result<Result<(), SignatureError>, Stop<'a>> {
        if let Some(r) = self.verified.get(&(child, issuer)) {
            return Ok(r.clone());
        }
        self.signatures += 1;
        if self.signatures > self.budget.signatures {
            return Err(Stop::Fatal(self.budget_failure("signature checks")));
        }
        // Good signatures on CA certificates are remembered across verifications (the same
        // intermediate comes with every leaf it issued); a leaf's is always checked. Counted
        // against the budget even when remembered, so that a verdict never depends on what
        // an earlier verification left in the cache.
        let fingerprint = self.pool[child].is_ca().then(|| self.pool[child].sha256());
        if let Some(f) = &fingerprint {
            if cache::known_good(f, self.pool[issuer]) {
                self.verified.insert((child, issuer), Ok(()));
                return Ok(Ok(()));
            }
        }
        if self.keys[issuer].is_none() {
            self.keys[issuer] = Some(cache::key_of(self.pool[issuer]));
        }
        let r = match &self.keys[issuer] {
            Some(Ok(k)) => keys::verify_with_key(self.pool[child], k).map(|_| ()),
            Some(Err(e)) => Err(e.clone()),
            None => Err(SignatureError::Invalid),
        };
        if let (Ok(()), Some(f)) = (&r, fingerprint) {
            cache::remember_good(f, self.pool[issuer]);
        }
        self.verified.insert((child, issuer), r.clone());
        Ok(r)
    }

    fn budget_failure(&self, what: &str) -> Failure<'a> {
        Failure {
            code: VerdictCode::BudgetExceeded,
            reason: format!(
                "gave up building a path for {} after too many {what}: the intermediates supplied form a pathological graph",
                describe(self.pool[0])
            ),
            concerns: Some(self.pool[0]),
            warnings: Vec::new(),
        }
    }

    /// Tries to complete `path` (whose last element still needs an issuer) up to an anchor.
    fn extend(&mut self, path: &mut Vec<usize>) -> Result<Vec<String>, Stop<'a>> {
        self.calls += 1;
        if self.calls > self.budget.build_calls {
            return Err(Stop::Fatal(self.budget_failure("build steps")));
        }
        let child = *path.last().unwrap_or(&0);
        let child_cert = self.pool[child];
        let candidates = self
            .by_subject
            .get(child_cert.issuer().der())
            .cloned()
            .unwrap_or_default();
        let mut any_candidate = false;
        for cand in candidates {
            let cert = self.pool[cand];
            // Loop detection: the same subject and key twice means a cycle (RFC 4158 §5.2).
            if path.iter().any(|&p| {
                let pc = self.pool[p];
                p == cand || (pc.subject() == cert.subject() && pc.spki_der() == cert.spki_der())
            }) {
                continue;
            }
            any_candidate = true;
            let is_anchor = cand >= self.first_anchor;
            // max_chain_depth counts intermediates as pathLenConstraint does: self-issued
            // ones are free (RFC 5280 §6.1.4 (l)).
            let intermediates_after = path[1..]
                .iter()
                .filter(|&&p| !self.pool[p].is_self_issued())
                .count()
                + usize::from(!is_anchor && !cert.is_self_issued());
            if path.len() + 1 > MAX_DEPTH
                || self
                    .req
                    .max_intermediates
                    .is_some_and(|m| intermediates_after > m)
            {
                self.record(Failure {
                    code: VerdictCode::PathTooLong,
                    reason: format!(
                        "the path from {} through {} is longer than allowed",
                        describe(self.pool[0]),
                        describe(cert)
                    ),
                    concerns: Some(cert),
                    warnings: Vec::new(),
                });
                continue;
            }
            let role = if is_anchor {
                Role::Anchor
            } else {
                Role::Intermediate
            };
            let mut warnings = match self.cert_check(cand, role) {
                Ok(w) => w,
                Err(f) => {
                    self.record(f);
                    continue;
                }
            };
            // pathLenConstraint (RFC 5280 §6.1.4 (l)-(m)): the non-self-issued
            // intermediates below this CA, the target not counted.
            if let Some(limit) = cert.path_len() {
                let below = path[1..]
                    .iter()
                    .filter(|&&p| !self.pool[p].is_self_issued())
                    .count();
                if below > limit as usize {
                    self.record(Failure {
                        code: VerdictCode::PathTooLong,
                        reason: format!(
                            "{} allows {limit} intermediate(s) below it (pathLenConstraint) but the path has {below}",
                            describe(cert)
                        ),
                        concerns: Some(cert),
                        warnings: Vec::new(),
                    });
                    continue;
                }
            }
            // Name constraints of this CA over everything below it: checked before the
            // signature, because it is cheap and most hostile or constrained pools fail here.
            if cert.extensions().name_constraints.is_some() {
                match self.check_name_constraints(cand, path) {
                    Ok(()) => {}
                    Err(Stop::Dead) => continue,
                    Err(fatal) => return Err(fatal),
                }
            }
            match self.signed(child, cand)? {
                Ok(()) => {}
                Err(e) => {
                    let code = match e {
                        SignatureError::Invalid => VerdictCode::BadSignature,
                        SignatureError::Unsupported(_) => VerdictCode::UnsupportedAlgorithm,
                        _ => VerdictCode::BadSignature,
                    };
                    self.record(Failure {
                        code,
                        reason: format!(
                            "the signature on {} does not verify with the key of {}: {e}",
                            describe(child_cert),
                            describe(cert)
                        ),
                        concerns: Some(child_cert),
                        warnings: Vec::new(),
                    });
                    continue;
                }
            }
            path.push(cand);
            if is_anchor {
                return Ok(warnings);
            }
            match self.extend(path) {
                Ok(mut w) => {
                    warnings.append(&mut w);
                    return Ok(warnings);
                }
                Err(Stop::Dead) => {
                    path.pop();
                }
                Err(fatal) => return Err(fatal),
            }
        }
        if !any_candidate {
            let issuer = child_cert.issuer().to_rfc4514();
            let who = if child == 0 {
                describe(child_cert)
            } else {
                format!("intermediate {}", describe(child_cert))
            };
            self.record(Failure {
                code: VerdictCode::UntrustedIssuer,
                reason: format!(
                    "no trusted issuer for {who}: its issuer '{issuer}' is neither in the trust store nor among the intermediates; import that CA into the store"
                ),
                concerns: Some(child_cert),
                warnings: Vec::new(),
            });
        }
        Err(Stop::Dead)
    }

    /// Applies the name constraints of CA `ca` to every certificate already on `path` (all
    /// below it), self-issued intermediates exempt (RFC 5280 §6.1.3 (b)).
    fn check_name_constraints(&mut self, ca: usize, path: &[usize]) -> Result<(), Stop<'a>> {
        let ca_cert = self.pool[ca];
        let Some(nc) = &ca_cert.extensions().name_constraints else {
            return Ok(());
        };
        for &below in path {
            let cert = self.pool[below];
            if below != 0 && cert.is_self_issued() {
                continue;
            }
            let mut counter = Counter {
                used: &mut self.nc_used,
                limit: self.budget.name_constraint_comparisons,
            };
            match constraints::check(nc, cert, &mut counter) {
                Ok(()) => {}
                Err(NcError::Budget) => {
                    return Err(Stop::Fatal(
                        self.budget_failure("name-constraint comparisons"),
                    ))
                }
                Err(NcError::Violation(why)) => {
                    self.record(Failure {
                        code: VerdictCode::NameConstraints,
                        reason: format!(
                            "{} violates the name constraints of {}: {why}",
                            describe(cert),
                            describe(ca_cert)
                        ),
                        concerns: Some(cert),
                        warnings: Vec::new(),
                    });
                    return Err(Stop::Dead);
                }
            }
        }
        Ok(())
    }
}
