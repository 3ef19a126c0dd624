//! keytool's operations on the model, done better: imports are idempotent by certificate
//! identity (keytool and Ansible's `java_cert` only compare aliases, so the same CA ends up
//! in `cacerts` three times under three names), an alias holding a different certificate
//! is never silently replaced, and JKS's lower-casing of aliases is reported instead of
//! quietly merging two entries.

use super::{Entry, EntryKind, Format, Keystore, KeystoreError, Password, PrivateKeyEntry};
use crate::{Certificate, Timestamp};

/// What to do when an alias already holds a different certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImportPolicy {
    /// Refuse (an `alias` error naming both certificates).
    #[default]
    Refuse,
    /// Replace the entry.
    Replace,
}

/// What an import did with one certificate or key pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportOutcome {
    /// Added under `alias`. `requested` is the alias asked for when the format changed it
    /// (JKS and JCEKS store aliases lower-case).
    Added {
        /// The alias it is stored under.
        alias: String,
        /// The alias asked for, when different.
        requested: Option<String>,
    },
    /// Already in the keystore (same certificate, byte for byte) under `existing`; nothing
    /// was added.
    AlreadyPresent {
        /// The alias asked for.
        alias: String,
        /// The alias it is already stored under.
        existing: String,
    },
    /// `alias` held a different certificate and was replaced (only with
    /// [`ImportPolicy::Replace`]).
    Replaced {
        /// The alias replaced.
        alias: String,
        /// SHA-256 of the certificate that was there before.
        previous_sha256: String,
    },
}

impl ImportOutcome {
    /// Whether the keystore changed.
    pub fn changed(&self) -> bool {
        !matches!(self, ImportOutcome::AlreadyPresent { .. })
    }
}

impl Keystore {
    fn stored_alias(&self, alias: &str) -> String {
        if self.format.lowercases_aliases() {
            alias.to_lowercase()
        } else {
            alias.to_string()
        }
    }

    fn check_new_alias(alias: &str) -> Result<(), KeystoreError> {
        if alias.is_empty() || alias.trim() != alias {
            return Err(KeystoreError::Alias {
                alias: alias.to_string(),
                detail: "an alias must be non-empty without leading or trailing spaces".into(),
            });
        }
        Ok(())
    }

    /// Imports a trusted certificate under `alias`.
    ///
    /// The same certificate already present (as a trusted certificate or a key's
    /// certificate, under any alias) is reported, not imported twice. An alias that holds a
    /// different certificate is an error unless `policy` is [`ImportPolicy::Replace`].
    pub fn import_trusted(
        &mut self,
        alias: &str,
        cert: Certificate,
        policy: ImportPolicy,
    ) -> Result<ImportOutcome, KeystoreError> {
        Self::check_new_alias(alias)?;
        if let Some(e) = self.find_by_certificate(&cert) {
            return Ok(ImportOutcome::AlreadyPresent {
                alias: alias.to_string(),
                existing: e.alias.clone(),
            });
        }
        let stored = self.stored_alias(alias);
        let requested = (stored != alias).then(|| alias.to_string());
        if let Some(i) = self.position(alias) {
            let previous = self.entries[i]
                .certificate()
                .map(|c| c.sha256_hex())
                .unwrap_or_default();
            if policy == ImportPolicy::Refuse {
                return Err(KeystoreError::Alias {
                    alias: self.entries[i].alias.clone(),
                    detail: format!(
                        "already holds a different {} (SHA-256 {previous}); the new certificate is {}; to replace it, import with --replace (Python: replace=True)",
                        kind_words(&self.entries[i].kind),
                        cert.sha256_hex()
                    ),
                });
            }
            self.entries[i] = Entry {
                alias: stored.clone(),
                created: Some(Timestamp::now()),
                kind: EntryKind::TrustedCert(cert),
            };
            return Ok(ImportOutcome::Replaced {
                alias: stored,
                previous_sha256: previous,
            });
        }
        self.entries.push(Entry {
            alias: stored.clone(),
            created: Some(Timestamp::now()),
            kind: EntryKind::TrustedCert(cert),
        });
        Ok(ImportOutcome::Added {
            alias: stored,
            requested,
        })
    }

    /// Imports each certificate of a bundle: the first under `alias`, the next ones under
    /// `alias-2`, `alias-3`… (a single certificate keeps `alias`). Stops at the first error;
    /// outcomes before it are kept in the model.
    pub fn import_trusted_bundle(
        &mut self,
        alias: &str,
        certs: Vec<Certificate>,
        policy: ImportPolicy,
    ) -> Result<Vec<ImportOutcome>, KeystoreError> {
        let mut out = Vec::with_capacity(certs.len());
        for (i, c) in certs.into_iter().enumerate() {
            let a = if i == 0 {
                alias.to_string()
            } else {
                format!("{alias}-{}", i + 1)
            };
            out.push(self.import_trusted(&a, c, policy)?);
        }
        Ok(out)
    }

    /// Imports a key pair under `alias`. The same end-entity certificate already present
    /// as a key entry is reported, not imported twice.
    pub fn import_key_pair(
        &mut self,
        alias: &str,
        key: PrivateKeyEntry,
        policy: ImportPolicy,
    ) -> Result<ImportOutcome, KeystoreError> {
        Self::check_new_alias(alias)?;
        if key.chain.is_empty() && self.format != Format::Pem {
            return Err(KeystoreError::Alias {
                alias: alias.to_string(),
                detail: super::KEY_WITHOUT_CHAIN.into(),
            });
        }
        if let Some(leaf) = key.chain.first() {
            if let Some(e) = self.entries.iter().find(|e| {
                matches!(e.kind, EntryKind::PrivateKey(_))
                    && e.certificate().is_some_and(|c| c.der() == leaf.der())
            }) {
                return Ok(ImportOutcome::AlreadyPresent {
                    alias: alias.to_string(),
                    existing: e.alias.clone(),
                });
            }
        }
        let stored = self.stored_alias(alias);
        let requested = (stored != alias).then(|| alias.to_string());
        let entry = Entry {
            alias: stored.clone(),
            created: Some(Timestamp::now()),
            kind: EntryKind::PrivateKey(key),
        };
        if let Some(i) = self.position(alias) {
            let previous = self.entries[i]
                .certificate()
                .map(|c| c.sha256_hex())
                .unwrap_or_default();
            if policy == ImportPolicy::Refuse {
                return Err(KeystoreError::Alias {
                    alias: self.entries[i].alias.clone(),
                    detail: format!(
                        "already holds a {} (SHA-256 {previous}); to replace it, import with --replace (Python: replace=True)",
                        kind_words(&self.entries[i].kind)
                    ),
                });
            }
            self.entries[i] = entry;
            return Ok(ImportOutcome::Replaced {
                alias: stored,
                previous_sha256: previous,
            });
        }
        self.entries.push(entry);
        Ok(ImportOutcome::Added {
            alias: stored,
            requested,
        })
    }

    /// Imports every entry of another keystore, as `keytool -importkeystore` does but
    /// idempotent by identity: trusted certificates and key pairs keep their aliases, except
    /// that a source holding a single key pair puts it under `alias` when one is given (a
    /// PKCS#12 from a CA or from IIS names its key arbitrarily). Keys must be unlocked (a
    /// `Locked` error names the first that is not); secret keys are refused. Stops at the
    /// first error; outcomes before it are kept in the model.
    ///
    /// An imported key is protected anew when this keystore is written (with its key
    /// password): kept as the source stored it, it would stay encrypted with the source's
    /// password, which keytool does not know for this store.
    pub fn import_keystore(
        &mut self,
        source: Keystore,
        alias: Option<&str>,
        policy: ImportPolicy,
    ) -> Result<Vec<ImportOutcome>, KeystoreError> {
        let n_keys = source
            .entries
            .iter()
            .filter(|e| matches!(e.kind, EntryKind::PrivateKey(_)))
            .count();
        let mut out = Vec::with_capacity(source.entries.len());
        for e in source.entries {
            let target = match (alias, &e.kind) {
                (Some(a), EntryKind::PrivateKey(_)) if n_keys == 1 => a.to_string(),
                _ => e.alias.clone(),
            };
            match e.kind {
                EntryKind::PrivateKey(mut k) => {
                    k.reprotect(&e.alias)?;
                    out.push(self.import_key_pair(&target, k, policy)?);
                }
                EntryKind::TrustedCert(c) => out.push(self.import_trusted(&target, c, policy)?),
                EntryKind::SecretKey(_) => {
                    return Err(KeystoreError::Unsupported(format!(
                        "alias '{}': importing secret keys",
                        e.alias
                    )))
                }
            }
        }
        Ok(out)
    }

    /// Removes the entry with `alias` and returns it.
    pub fn delete(&mut self, alias: &str) -> Result<Entry, KeystoreError> {
        match self.position(alias) {
            Some(i) => Ok(self.entries.remove(i)),
            None => Err(not_found(alias)),
        }
    }

    /// Renames an entry. The new alias must be free (as the format compares aliases).
    pub fn rename(&mut self, from: &str, to: &str) -> Result<(), KeystoreError> {
        Self::check_new_alias(to)?;
        let Some(i) = self.position(from) else {
            return Err(not_found(from));
        };
        if let Some(j) = self.position(to) {
            if j != i {
                return Err(KeystoreError::Alias {
                    alias: to.to_string(),
                    detail: format!(
                        "already taken by another entry ('{}')",
                        self.entries[j].alias
                    ),
                });
            }
        }
        self.entries[i].alias = self.stored_alias(to);
        Ok(())
    }

    /// Opens the key(s) with `old` and marks them to be protected with the key password
    /// of the next write. `alias`: one entry, or every key entry.
    pub fn change_key_password(
        &mut self,
        alias: Option<&str>,
        old: &Password,
    ) -> Result<usize, KeystoreError> {
        let indices: Vec<usize> = match alias {
            Some(a) => vec![self.position(a).ok_or_else(|| not_found(a))?],
            None => (0..self.entries.len()).collect(),
        };
        let mut n = 0;
        for i in indices {
            let e = &mut self.entries[i];
            match &mut e.kind {
                EntryKind::PrivateKey(k) => {
                    k.unlock(old).map_err(|err| err.with_alias(&e.alias))?;
                    k.reprotect(&e.alias)?;
                    n += 1;
                }
                _ if alias.is_some() => {
                    return Err(KeystoreError::Alias {
                        alias: e.alias.clone(),
                        detail: "is not a private key entry".into(),
                    })
                }
                _ => {}
            }
        }
        Ok(n)
    }

    /// The same entries in another format. Keys must be unlocked (they are protected
    /// anew with the target's scheme when written); secret keys only stay in their own
    /// format; aliases that collide once lower-cased are an error for JKS and JCEKS.
    pub fn convert(&self, to: Format) -> Result<Keystore, KeystoreError> {
        let mut out = self.clone();
        if to != self.format {
            // A new file: its password is a new store password (keytool's rules apply).
            out.read_with = None;
        }
        out.format = to;
        // Secret keys first: no password makes those convertible.
        for e in &out.entries {
            if let EntryKind::SecretKey(s) = &e.kind {
                if s.format != to {
                    return Err(KeystoreError::Unsupported(format!(
                        "alias '{}': a {} secret key cannot be converted to {to} (it would have to be deserialized)",
                        e.alias, s.format
                    )));
                }
            }
        }
        for e in &out.entries {
            if let EntryKind::PrivateKey(k) = &e.kind {
                if !k.is_unlocked() && k.protected_key().is_none_or(|p| p.format != to) {
                    return Err(KeystoreError::Locked {
                        alias: e.alias.clone(),
                    });
                }
            }
        }
        if to.lowercases_aliases() {
            if let Some((a, b)) = out.alias_collisions().first() {
                return Err(KeystoreError::Alias {
                    alias: b.clone(),
                    detail: format!("collides with '{a}': {to} stores aliases in lower case"),
                });
            }
            for e in &mut out.entries {
                e.alias = e.alias.to_lowercase();
            }
        }
        Ok(out)
    }
}

fn not_found(alias: &str) -> KeystoreError {
    KeystoreError::Alias {
        alias: alias.to_string(),
        detail: "no such entry".into(),
    }
}

fn kind_words(k: &EntryKind) -> &'static str {
    match k {
        EntryKind::TrustedCert(_) => "trusted certificate",
        EntryKind::PrivateKey(_) => "private key entry",
        EntryKind::SecretKey(_) => "secret key",
    }
}
