//! PEM keystores: a bundle of certificates (each a trusted entry), and PKCS#8 private keys
//! (`PRIVATE KEY`, or `ENCRYPTED PRIVATE KEY` under PBES2 or a PKCS#12 PBE scheme; the
//! traditional `RSA PRIVATE KEY` / `EC PRIVATE KEY` forms are read too) with their chains.
//!
//! PEM has no aliases: the `friendlyName:` lines `openssl pkcs12` prints above each block
//! are used when present, and written by us, so a PEM made from a PKCS#12 and back keeps
//! its names. A key's chain is the certificate holding its public key, then its issuers
//! by name; certificates in no chain are trusted entries. DER certificate files and PKCS#7
//! bundles read as certificate bundles.

use super::der::{self as d, Der, INTEGER, OCTET_STRING, SEQUENCE};
use super::detect::{sniff, Encoding};
use super::pbe::WorkBudget;
use super::private_key::{PrivateKeyEntry, ProtectedKey};
use super::{Entry, EntryKind, Format, Keystore, KeystoreError, Password};
use crate::cert::pem::{encode, parse_blocks};
use crate::Certificate;

const F: Format = Format::Pem;

struct KeyBlock {
    entry: PrivateKeyEntry,
    alias: Option<String>,
    line: usize,
}

pub(crate) fn read(data: &[u8], pw: &Password) -> Result<Keystore, KeystoreError> {
    let mut budget = WorkBudget::per_file();
    if sniff(data)? == Encoding::DerCertificates {
        let certs = crate::cert::load_certificates(data)
            .map_err(|e| KeystoreError::malformed(F, e.offset().unwrap_or(0), e.to_string()))?;
        return Ok(assemble(
            Vec::new(),
            certs.into_iter().map(|c| (c, None, 0)).collect(),
        ));
    }
    let blocks = parse_blocks(data).map_err(|e| KeystoreError::Malformed {
        format: F,
        offset: 0,
        detail: e.to_string(),
    })?;
    let names = friendly_names(data);
    let name_for = |line: usize| -> Option<String> {
        names
            .iter()
            .filter(|(l, _)| *l < line)
            .max_by_key(|(l, _)| *l)
            .and_then(|(l, n)| {
                // Only a name written since the previous block belongs to this one.
                let prev_block_end = blocks
                    .iter()
                    .filter(|b| b.line < line)
                    .map(|b| b.line)
                    .max()
                    .unwrap_or(0);
                (*l > prev_block_end).then(|| n.clone())
            })
    };
    let mut keys: Vec<KeyBlock> = Vec::new();
    let mut certs: Vec<(Certificate, Option<String>, usize)> = Vec::new();
    for b in &blocks {
        let at = |e: KeystoreError| match e {
            KeystoreError::Malformed { detail, .. } => KeystoreError::Malformed {
                format: F,
                offset: 0,
                detail: format!("PEM block '{}' at line {}: {detail}", b.label, b.line),
            },
            e => e,
        };
        match b.label.as_str() {
            "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => {
                let c = Certificate::from_der(&b.der)
                    .map_err(|e| at(KeystoreError::malformed(F, 0, e.to_string())))?;
                certs.push((c, name_for(b.line), b.line));
            }
            "PKCS7" | "CERTIFICATE CHAIN" => {
                for c in crate::cert::pkcs7::certificates(&b.der)
                    .map_err(|e| at(KeystoreError::malformed(F, 0, e.to_string())))?
                {
                    certs.push((c, None, b.line));
                }
            }
            "PRIVATE KEY" => {
                let entry = PrivateKeyEntry::new(&b.der, Vec::new()).map_err(at)?;
                keys.push(KeyBlock {
                    entry,
                    alias: name_for(b.line),
                    line: b.line,
                });
            }
            "RSA PRIVATE KEY" | "EC PRIVATE KEY" => {
                let pkcs8 =
                    zeroize::Zeroizing::new(traditional_to_pkcs8(&b.label, &b.der).map_err(at)?);
                let entry = PrivateKeyEntry::new(&pkcs8, Vec::new()).map_err(at)?;
                keys.push(KeyBlock {
                    entry,
                    alias: name_for(b.line),
                    line: b.line,
                });
            }
            "ENCRYPTED PRIVATE KEY" => {
                let mut entry = PrivateKeyEntry::from_protected(
                    ProtectedKey {
                        format: F,
                        der: b.der.clone(),
                    },
                    Vec::new(),
                );
                // Decrypt now if the password opens it: the chain is found by public key.
                // A key over the work limit is an error, a wrong password is not.
                if let Err(e @ KeystoreError::WorkLimit { .. }) =
                    entry.unlock_within(pw, &mut budget)
                {
                    return Err(e);
                }
                keys.push(KeyBlock {
                    entry,
                    alias: name_for(b.line),
                    line: b.line,
                });
            }
            _ => {}
        }
    }
    Ok(assemble(keys, certs))
}

/// `friendlyName: NAME` lines (openssl's Bag Attributes) with their 1-based line numbers.
fn friendly_names(data: &[u8]) -> Vec<(usize, String)> {
    let text = String::from_utf8_lossy(data);
    text.lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let l = l.trim();
            l.strip_prefix("friendlyName: ")
                .map(|n| (i + 1, n.to_string()))
        })
        .collect()
}

fn assemble(keys: Vec<KeyBlock>, certs: Vec<(Certificate, Option<String>, usize)>) -> Keystore {
    let mut used = vec![false; certs.len()];
    let mut entries = Vec::new();
    let n_keys = keys.len();
    for (ki, mut k) in keys.into_iter().enumerate() {
        let spki = k.entry.public_key_der();
        let leaf = match &spki {
            Some(s) => {
                // Among certificates holding the key's public key, prefer the one with the
                // key's name (the same certificate can also be a trusted entry).
                let matches: Vec<usize> = (0..certs.len())
                    .filter(|&i| !used[i] && certs[i].0.spki_der() == s.as_slice())
                    .collect();
                matches
                    .iter()
                    .copied()
                    .find(|&i| k.alias.is_some() && certs[i].1 == k.alias)
                    .or_else(|| matches.first().copied())
            }
            None => {
                // Locked key: the first unused certificate after it, else before it.
                certs
                    .iter()
                    .enumerate()
                    .position(|(i, (_, _, line))| !used[i] && *line > k.line)
                    .or_else(|| {
                        if n_keys == 1 {
                            used.iter().position(|u| !u)
                        } else {
                            None
                        }
                    })
            }
        };
        let mut chain = Vec::new();
        if let Some(mut i) = leaf {
            chain.push(i);
            while !certs[i].0.is_self_issued() && chain.len() < certs.len() {
                let issuer = certs[i].0.issuer().der();
                // The same CA can be written twice: in this key's chain and as a trusted
                // entry of its own (or in another key's chain). Prefer an unused copy,
                // unnamed or named like the key, nearest after the leaf in the file.
                let leaf_line = certs[chain[0]].2;
                let preference = |j: usize| {
                    let named_other = certs[j].1.is_some() && certs[j].1 != k.alias;
                    let distance = if certs[j].2 > leaf_line {
                        certs[j].2 - leaf_line
                    } else {
                        usize::MAX / 2 + (leaf_line - certs[j].2)
                    };
                    (used[j], named_other, distance)
                };
                match (0..certs.len())
                    .filter(|j| !chain.contains(j) && certs[*j].0.subject().der() == issuer)
                    .min_by_key(|&j| preference(j))
                {
                    Some(j) => {
                        chain.push(j);
                        i = j;
                    }
                    None => break,
                }
            }
        }
        for &i in &chain {
            used[i] = true;
        }
        k.entry.chain = chain.iter().map(|&i| certs[i].0.clone()).collect();
        let alias = k
            .alias
            .or_else(|| leaf.and_then(|i| certs[i].1.clone()))
            .or_else(|| {
                k.entry
                    .chain
                    .first()
                    .and_then(|c| c.common_name())
                    .map(|n| n.to_lowercase())
            })
            .unwrap_or_else(|| format!("key-{}", ki + 1));
        entries.push(Entry {
            alias,
            created: None,
            kind: EntryKind::PrivateKey(k.entry),
        });
    }
    for (i, (c, name, _)) in certs.into_iter().enumerate() {
        if !used[i] {
            let alias = name
                .or_else(|| c.common_name().map(|n| n.to_lowercase()))
                .unwrap_or_else(|| format!("cert-{}", i + 1));
            entries.push(Entry {
                alias,
                created: None,
                kind: EntryKind::TrustedCert(c),
            });
        }
    }
    let mut seen = std::collections::HashSet::new();
    for e in &mut entries {
        let base = e.alias.clone();
        let mut n = 1;
        while !seen.insert(e.alias.clone()) {
            n += 1;
            e.alias = format!("{base}-{n}");
        }
    }
    Keystore {
        format: F,
        entries,
        pkcs12_profile: None,
        read_with: None,
    }
}

/// Wraps a traditional OpenSSL RSA or EC key in PKCS#8.
fn traditional_to_pkcs8(label: &str, der: &[u8]) -> Result<Vec<u8>, KeystoreError> {
    let algid = if label == "RSA PRIVATE KEY" {
        d::seq(&[&d::oid("1.2.840.113549.1.1.1"), &[d::NULL, 0]])
    } else {
        let mut r = Der::new(der, 0, F);
        let seq = r.expect(SEQUENCE, "ECPrivateKey")?;
        let mut s = Der::inside(&seq, F);
        s.expect(INTEGER, "the version")?;
        s.expect(OCTET_STRING, "the private key")?;
        let mut curve = None;
        while !s.is_empty() {
            let t = s.any("an ECPrivateKey field")?;
            if t.tag == 0xa0 {
                curve = Some(Der::inside(&t, F).any("the curve")?.raw.to_vec());
            }
        }
        let Some(curve) = curve else {
            return Err(KeystoreError::Unsupported(
                "EC PRIVATE KEY without its curve".into(),
            ));
        };
        d::seq(&[&d::oid("1.2.840.10045.2.1"), &curve])
    };
    Ok(d::seq(&[&d::uint(0), &algid, &d::octets(der)]))
}

/// Writes entries as PEM: per entry a `friendlyName:` line, then the key (encrypted with
/// PBES2 unless the key password is empty) and its chain, or the certificate.
pub(crate) fn write(
    ks: &Keystore,
    key_pw: &Password,
    options: &super::WriteOptions,
) -> Result<Vec<u8>, KeystoreError> {
    let mut out = String::new();
    for e in &ks.entries {
        let alias = e.alias.replace(['\r', '\n'], " ");
        match &e.kind {
            EntryKind::TrustedCert(c) => {
                out.push_str(&format!(
                    "Bag Attributes\n    friendlyName: {alias}\nsubject={}\n",
                    c.subject().to_rfc4514()
                ));
                out.push_str(&encode("CERTIFICATE", c.der()));
            }
            EntryKind::PrivateKey(k) => {
                out.push_str(&format!("Bag Attributes\n    friendlyName: {alias}\n"));
                if key_pw.is_empty() && k.protected_key().is_none_or(|p| p.format != F) {
                    let Some(pkcs8) = k.pkcs8_der() else {
                        return Err(KeystoreError::Locked {
                            alias: e.alias.clone(),
                        });
                    };
                    out.push_str(&encode("PRIVATE KEY", pkcs8));
                } else {
                    let epki = k.protected_for(F, key_pw, options, &e.alias, true)?;
                    out.push_str(&encode("ENCRYPTED PRIVATE KEY", &epki));
                }
                for (i, c) in k.chain.iter().enumerate() {
                    if i == 0 {
                        // Named like the key, as openssl does, so the pair is found again
                        // even when the same certificate is also a trusted entry.
                        out.push_str(&format!("Bag Attributes\n    friendlyName: {alias}\n"));
                    }
                    out.push_str(&format!("subject={}\n", c.subject().to_rfc4514()));
                    out.push_str(&encode("CERTIFICATE", c.der()));
                }
            }
            EntryKind::SecretKey(_) => {
                return Err(KeystoreError::Unsupported(format!(
                    "alias '{}': secret keys have no PEM form",
                    e.alias
                )))
            }
        }
    }
    Ok(out.into_bytes())
}
