//! Keystores: the Java `cacerts` (JKS), CVP's JCEKS, the PFX an IIS certificate is exported
//! as (PKCS#12), and PEM bundles — one model, four formats.
//!
//! Every trust change in a contact center ends in one of these files. This module reads
//! them into one [`Keystore`] (a [`Format`] plus [`Entry`]s), writes them back so that
//! keytool and openssl accept the result, and does keytool's operations (import, delete,
//! rename, change passwords, convert) on the model. Writing to disk goes through
//! [`save`], which never leaves a half-written keystore behind.
//!
//! Private keys stay encrypted as read until [`Keystore::unlock_keys`] (or
//! [`PrivateKeyEntry::unlock`]) is given their password: listing a 200,000-iteration JCEKS
//! does not cost a second, and a key that is not touched is written back byte for byte.
//! JCEKS secret keys are Java-serialized objects: they are kept as opaque bytes and written
//! back unchanged, never deserialized.

pub(crate) mod der;
mod detect;
mod error;
mod java;
mod jks;
mod ops;
mod password;
mod pbe;
mod pem;
mod pkcs12;
mod private_key;
mod write;

use std::fmt;
use std::path::Path;
use std::str::FromStr;

pub use detect::detect;
pub use error::KeystoreError;
pub use ops::{ImportOutcome, ImportPolicy};
pub use password::Password;
pub use pbe::pkcs12::Pkcs12Profile;
pub use pkcs12::Pkcs12Bag;
pub use private_key::{PrivateKeyEntry, ProtectedKey};
pub use write::{
    backup_name, backup_store, read_store, save, write_file, Fingerprint, SaveOptions, SaveReport,
    StoreFile, DEFAULT_LOCK_TIMEOUT,
};

use crate::{Certificate, Timestamp};

/// A keystore file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Sun's JKS (`FE ED FE ED`): the JDK's `cacerts`, ECE's LDAPS truststore.
    Jks,
    /// Sun's JCEKS (`CE CE CE CE`): CVP's keystore; can also hold secret keys.
    Jceks,
    /// PKCS#12 / PFX: Windows, IIS, and JDK 9+ keytool's default.
    Pkcs12,
    /// PEM: a bundle of certificates, or a PKCS#8 private key with its chain.
    Pem,
}

impl Format {
    /// Every format, in the order the CLI lists them.
    pub const ALL: [Format; 4] = [Format::Jks, Format::Jceks, Format::Pkcs12, Format::Pem];

    /// Whether aliases are case-insensitive (stored lower-case) in this format, as the JDK
    /// treats JKS and JCEKS.
    pub fn lowercases_aliases(self) -> bool {
        matches!(self, Format::Jks | Format::Jceks)
    }

    /// Whether aliases are found in any case, as the JDK finds them: JKS and JCEKS (stored
    /// lower-case) and PKCS#12, whose friendly name is kept as stored but which keytool
    /// lists and looks up in lower case (`PKCS12KeyStore` keys its entries by
    /// `alias.toLowerCase(Locale.ENGLISH)`).
    pub fn finds_aliases_in_any_case(self) -> bool {
        matches!(self, Format::Jks | Format::Jceks | Format::Pkcs12)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Jks => "JKS",
            Format::Jceks => "JCEKS",
            Format::Pkcs12 => "PKCS12",
            Format::Pem => "PEM",
        })
    }
}

impl FromStr for Format {
    type Err = KeystoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "jks" => Ok(Format::Jks),
            "jceks" => Ok(Format::Jceks),
            "pkcs12" | "p12" | "pfx" => Ok(Format::Pkcs12),
            "pem" => Ok(Format::Pem),
            _ => Err(KeystoreError::Usage(format!(
                "unknown keystore format '{s}': expected jks, jceks, pkcs12 or pem"
            ))),
        }
    }
}

/// A keystore: its format and its entries, in file order.
#[derive(Debug, Clone)]
pub struct Keystore {
    /// The format it was read in (and will be written in, unless converted).
    pub format: Format,
    /// The entries, in the order they were read or added.
    pub entries: Vec<Entry>,
    /// For a store read from a PKCS#12 file: the algorithms it was written with. Writing it
    /// back keeps them unless [`WriteOptions::pkcs12`] says otherwise, so that a legacy file
    /// an old Java 8 or Windows Server reads stays readable to it.
    pub pkcs12_profile: Option<Pkcs12Profile>,
    /// The store password the keystore was read with (wiped on drop, `***` in Debug): a
    /// PKCS#12 key stored under it is written back as it was when the password does not
    /// change, and must be encrypted anew when it does.
    read_with: Option<Password>,
}

/// One keystore entry: an alias and what it holds.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The alias (PKCS#12: the friendly name).
    pub alias: String,
    /// When the entry was created, where the format records it (JKS, JCEKS).
    pub created: Option<Timestamp>,
    /// What the entry holds.
    pub kind: EntryKind,
}

/// What an entry holds.
// A certificate is large inline; boxing it would change the pattern other modules match on
// for a saving that does not matter at keystore sizes.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum EntryKind {
    /// A trusted certificate (keytool's `trustedCertEntry`).
    TrustedCert(Certificate),
    /// A private key with its certificate chain (keytool's `PrivateKeyEntry`).
    PrivateKey(PrivateKeyEntry),
    /// A secret key (JCEKS, PKCS#12), kept as opaque bytes.
    SecretKey(SecretKeyEntry),
}

impl EntryKind {
    /// The machine name used in JSON: `trusted_cert`, `private_key`, `secret_key`.
    pub fn name(&self) -> &'static str {
        match self {
            EntryKind::TrustedCert(_) => "trusted_cert",
            EntryKind::PrivateKey(_) => "private_key",
            EntryKind::SecretKey(_) => "secret_key",
        }
    }

    /// keytool's name for the entry type.
    pub fn keytool_name(&self) -> &'static str {
        match self {
            EntryKind::TrustedCert(_) => "trustedCertEntry",
            EntryKind::PrivateKey(_) => "PrivateKeyEntry",
            EntryKind::SecretKey(_) => "SecretKeyEntry",
        }
    }
}

/// A secret key entry, kept exactly as stored.
///
/// In JCEKS this is a Java-serialized `SealedObject`: deserializing Java objects from a file
/// is how deserialization attacks start, so its extent is found by walking the stream's
/// grammar and the bytes are written back unchanged. It can only be written to the format
/// it came from.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKeyEntry {
    pub(crate) format: Format,
    pub(crate) data: Vec<u8>,
}

impl SecretKeyEntry {
    /// The format whose encoding `data` is in.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The stored bytes (still encrypted by the keystore's key protector).
    pub fn stored_bytes(&self) -> &[u8] {
        &self.data
    }
}

impl fmt::Debug for SecretKeyEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SecretKeyEntry({}, {} bytes)",
            self.format,
            self.data.len()
        )
    }
}

impl Entry {
    /// A trusted-certificate entry created now.
    pub fn trusted(alias: impl Into<String>, cert: Certificate) -> Entry {
        Entry {
            alias: alias.into(),
            created: Some(Timestamp::now()),
            kind: EntryKind::TrustedCert(cert),
        }
    }

    /// The certificates of the entry: the trusted certificate, or the key's chain.
    pub fn certificates(&self) -> &[Certificate] {
        match &self.kind {
            EntryKind::TrustedCert(c) => std::slice::from_ref(c),
            EntryKind::PrivateKey(k) => &k.chain,
            EntryKind::SecretKey(_) => &[],
        }
    }

    /// The entry's own certificate: the trusted certificate or the key's end-entity one.
    pub fn certificate(&self) -> Option<&Certificate> {
        self.certificates().first()
    }
}

impl Keystore {
    /// An empty keystore of the given format.
    pub fn new(format: Format) -> Keystore {
        Keystore {
            format,
            entries: Vec::new(),
            pkcs12_profile: None,
            read_with: None,
        }
    }

    /// Reads a keystore file, detecting its format from the content and checking its
    /// integrity with the store password.
    pub fn load(path: &Path, store_password: &Password) -> Result<Keystore, KeystoreError> {
        let bytes = crate::input::read(path, crate::input::InputKind::Keystore)?;
        Keystore::from_bytes(&bytes, store_password)
    }

    /// Reads a keystore from bytes, detecting the format from the content.
    ///
    /// The store password checks integrity (JKS/JCEKS trailer, PKCS#12 MAC) and, for
    /// PKCS#12, decrypts the certificates. Private keys stay encrypted until
    /// [`Keystore::unlock_keys`].
    pub fn from_bytes(bytes: &[u8], store_password: &Password) -> Result<Keystore, KeystoreError> {
        let format = detect(bytes)?;
        Keystore::from_bytes_as(bytes, format, store_password)
    }

    /// Reads a keystore that must be of the given format.
    pub fn from_bytes_as(
        bytes: &[u8],
        format: Format,
        store_password: &Password,
    ) -> Result<Keystore, KeystoreError> {
        if format == Format::Pem && !bytes.iter().any(|b| !b.is_ascii_whitespace()) {
            // An empty bundle is a valid (empty) PEM keystore.
            return Ok(Keystore::new(Format::Pem));
        }
        let found = detect(bytes)?;
        if found != format {
            return Err(KeystoreError::WrongFormat {
                expected: format,
                found,
            });
        }
        let mut ks = match format {
            Format::Jks | Format::Jceks => jks::read(bytes, Some(store_password)),
            Format::Pkcs12 => pkcs12::read(bytes, store_password),
            Format::Pem => pem::read(bytes, store_password),
        }?;
        ks.read_with = Some(store_password.clone());
        Ok(ks)
    }

    /// Whether `password` is the one the keystore was read with.
    pub(crate) fn read_with(&self, password: &Password) -> bool {
        self.read_with.as_ref() == Some(password)
    }

    /// The bags of a PKCS#12 file as stored, before they are grouped into entries (JDK
    /// keytool's chain-certificate bags, friendly names in their stored case): what
    /// `keystore list --all-bags` shows. Other formats: an error of kind `wrong_format`.
    pub fn pkcs12_bags(
        bytes: &[u8],
        store_password: &Password,
    ) -> Result<Vec<Pkcs12Bag>, KeystoreError> {
        let found = detect(bytes)?;
        if found != Format::Pkcs12 {
            return Err(KeystoreError::WrongFormat {
                expected: Format::Pkcs12,
                found,
            });
        }
        pkcs12::raw_bags(bytes, store_password)
    }

    /// Reads a JKS or JCEKS keystore without checking its integrity trailer, as
    /// `keytool -list` does when no password is given. Other formats need the password.
    pub fn from_bytes_unverified(bytes: &[u8]) -> Result<Keystore, KeystoreError> {
        match detect(bytes)? {
            Format::Jks | Format::Jceks => jks::read(bytes, None),
            other => Err(KeystoreError::Usage(format!(
                "a {other} keystore cannot be read without its password"
            ))),
        }
    }

    /// Encodes the keystore in its format.
    ///
    /// Keys that were not unlocked are written back exactly as read (same format only);
    /// unlocked or new keys are protected with `options.key_password`, or the store
    /// password when none is given. In a PKCS#12 file, which keytool opens with one password,
    /// a stored key is kept only if that password opens it: written under a new password, an
    /// unlocked key is encrypted anew and a locked one is an error naming its alias.
    pub fn to_bytes(
        &self,
        store_password: &Password,
        options: &WriteOptions,
    ) -> Result<Vec<u8>, KeystoreError> {
        self.check_aliases()?;
        self.check_entries()?;
        let key_password = options.key_password.as_ref().unwrap_or(store_password);
        if !options.allow_non_keytool_password {
            self.check_passwords(store_password, key_password)?;
        }
        match self.format {
            Format::Jks | Format::Jceks => jks::write(self, store_password, key_password, options),
            Format::Pkcs12 => pkcs12::write(self, store_password, key_password, options),
            Format::Pem => pem::write(self, key_password, options),
        }
    }

    /// Trusted certificates with their aliases (private-key chains not included).
    pub fn trusted_certificates(&self) -> impl Iterator<Item = (&str, &Certificate)> {
        self.entries.iter().filter_map(|e| match &e.kind {
            EntryKind::TrustedCert(c) => Some((e.alias.as_str(), c)),
            _ => None,
        })
    }

    /// The entry whose own certificate (trusted certificate, or a key's end-entity
    /// certificate) is `cert`, compared by its exact DER encoding.
    pub fn find_by_certificate(&self, cert: &Certificate) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|e| e.certificate().is_some_and(|c| c.der() == cert.der()))
    }

    /// The entry with this alias, compared as the format compares aliases
    /// (case-insensitively for JKS and JCEKS).
    pub fn entry(&self, alias: &str) -> Option<&Entry> {
        self.position(alias).map(|i| &self.entries[i])
    }

    /// Mutable access to the entry with this alias.
    pub fn entry_mut(&mut self, alias: &str) -> Option<&mut Entry> {
        self.position(alias).map(move |i| &mut self.entries[i])
    }

    /// The alias as keytool lists it: lower case in JKS, JCEKS and PKCS#12 (a PKCS#12
    /// friendly name `RootCA` is listed `rootca`); as stored in PEM.
    pub fn listed_alias(&self, entry: &Entry) -> String {
        if self.format.finds_aliases_in_any_case() {
            entry.alias.to_lowercase()
        } else {
            entry.alias.clone()
        }
    }

    /// The PKCS#12 friendly name as stored, where keytool's listing shows it otherwise
    /// (another case); `None` in other formats.
    pub fn friendly_name<'a>(&self, entry: &'a Entry) -> Option<&'a str> {
        (self.format == Format::Pkcs12).then_some(entry.alias.as_str())
    }

    pub(crate) fn position(&self, alias: &str) -> Option<usize> {
        let fold = self.format.finds_aliases_in_any_case();
        self.entries.iter().position(|e| {
            if fold {
                e.alias.eq_ignore_ascii_case(alias)
                    || e.alias.to_lowercase() == alias.to_lowercase()
            } else {
                e.alias == alias
            }
        })
    }

    /// Tries `key_password` on every private key still encrypted. Returns, for each key
    /// that did not open, its alias and why.
    pub fn unlock_keys(&mut self, key_password: &Password) -> Vec<(String, KeystoreError)> {
        let mut failed = Vec::new();
        // One budget for every key of the store: thirty keys each just under keytool's
        // limit must not add up to minutes.
        let mut budget = pbe::WorkBudget::per_file();
        for e in &mut self.entries {
            if let EntryKind::PrivateKey(k) = &mut e.kind {
                if !k.is_unlocked() {
                    if let Err(err) = k.unlock_within(key_password, &mut budget) {
                        failed.push((e.alias.clone(), err.with_alias(&e.alias)));
                    }
                }
            }
        }
        failed
    }

    /// Aliases that two entries share once lower-cased, as JKS and JCEKS would store them.
    pub fn alias_collisions(&self) -> Vec<(String, String)> {
        let mut seen: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
        let mut out = Vec::new();
        for e in &self.entries {
            let key = e.alias.to_lowercase();
            if let Some(first) = seen.get(key.as_str()) {
                out.push((first.to_string(), e.alias.clone()));
            } else {
                seen.insert(key, &e.alias);
            }
        }
        out
    }

    /// Only entries keytool can use go into a JKS, JCEKS or PKCS#12 file: a private key
    /// without its certificate is one keytool sees as a secret key (PKCS#12), fails
    /// `-importkeystore` on (NullPointerException) or cannot list (JCEKS).
    fn check_entries(&self) -> Result<(), KeystoreError> {
        if self.format == Format::Pem {
            return Ok(());
        }
        for e in &self.entries {
            if let EntryKind::PrivateKey(k) = &e.kind {
                if k.chain.is_empty() {
                    return Err(KeystoreError::Alias {
                        alias: e.alias.clone(),
                        detail: KEY_WITHOUT_CHAIN.into(),
                    });
                }
            }
        }
        Ok(())
    }

    /// Passwords keytool can use (JDK 17, checked with its keytool): it cannot open a
    /// PKCS#12 file whose password is not ASCII ("keystore password was incorrect": it
    /// derives the keys from other bytes than OpenSSL and ccetrust), and it refuses to make
    /// a store, or give one a password, under 6 characters ("Keystore password must be at
    /// least 6 characters"). A store rewritten under the password it was read with is not
    /// new: keytool opens short passwords it did not make.
    fn check_passwords(&self, store: &Password, key: &Password) -> Result<(), KeystoreError> {
        if self.format == Format::Pem {
            return Ok(());
        }
        if self.format == Format::Pkcs12 && !(store.as_str().is_ascii() && key.as_str().is_ascii())
        {
            return Err(KeystoreError::Password(
                "the password is not ASCII: JDK keytool cannot open a PKCS#12 file written \
                 with it (it reports \"keystore password was incorrect\"); choose an ASCII \
                 password, or allow it explicitly (--allow-non-keytool-password)"
                    .into(),
            ));
        }
        if !self.read_with(store) && store.as_str().chars().count() < 6 {
            return Err(KeystoreError::Password(format!(
                "a new {} store password must be at least 6 characters: keytool refuses \
                 shorter ones (\"Keystore password must be at least 6 characters\"); choose a \
                 longer one, or allow it explicitly (--allow-non-keytool-password)",
                self.format
            )));
        }
        Ok(())
    }

    fn check_aliases(&self) -> Result<(), KeystoreError> {
        if self.format == Format::Pem {
            return Ok(());
        }
        let collisions = if self.format.lowercases_aliases() {
            self.alias_collisions()
        } else {
            let mut seen = std::collections::HashSet::new();
            self.entries
                .iter()
                .filter(|e| !seen.insert(e.alias.as_str()))
                .map(|e| (e.alias.clone(), e.alias.clone()))
                .collect()
        };
        if let Some((a, b)) = collisions.first() {
            return Err(KeystoreError::Alias {
                alias: b.clone(),
                detail: if a == b {
                    "two entries have this alias".to_string()
                } else {
                    format!(
                        "collides with alias '{a}': {} stores aliases in lower case",
                        self.format
                    )
                },
            });
        }
        Ok(())
    }
}

/// Why a private key without its certificate is not written to a keytool format, and what
/// to give instead.
pub(crate) const KEY_WITHOUT_CHAIN: &str = "a private key without its certificate is not \
    something keytool can use (it would list it as a secret key, and -importkeystore fails \
    on it): give the key together with its certificate chain (a PEM file holding the key \
    and its certificates, or a PKCS#12 file)";

/// How keys and integrity are protected when a keystore is encoded.
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// Password for keys that need (re-)protecting; default: the store password.
    pub key_password: Option<Password>,
    /// PKCS#12 algorithms: modern (AES-256, HMAC-SHA256, keytool 17's default) or legacy;
    /// `None` keeps those the store was read with (modern for a new or converted store).
    pub pkcs12: Option<Pkcs12Profile>,
    /// Iteration count for key protection and the PKCS#12 MAC; default: what keytool 17
    /// writes (JCEKS 200,000; PKCS#12 and PEM 10,000). JKS's protector has none.
    pub iterations: Option<u32>,
    /// Write even with a password keytool cannot use: a non-ASCII PKCS#12 password (keytool
    /// cannot open the file) or a new store password under 6 characters (keytool refuses
    /// to make one). Default: refused, kind `password`.
    pub allow_non_keytool_password: bool,
}

#[cfg(test)]
mod tests;
