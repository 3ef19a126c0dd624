//! Differential test of the two signature backends (issue 17): both get the same random
//! valid and invalid signatures and must give the same answer, and a valid one must verify
//! on both. RSA PKCS#1 v1.5 and PSS signatures come from OpenSSL (`tests/data/signatures/`,
//! `gen.sh` beside them); ECDSA P-256/384/521 and Ed25519 keys and signatures are made here
//! from random secrets. Invalid ones are the valid ones damaged (a flipped bit, cut, grown,
//! replaced, another message, another hash).

use proptest::prelude::*;
use sha2::{Digest, Sha256};
use signature::hazmat::PrehashSigner;

use super::pure::PureRust;
use super::ring::Ring;
use super::{verify_with, EcKey, EcPoint, PublicKey, SignatureBackend};
use crate::cert::signature::{HashAlgorithm, SignatureAlgorithm};

struct Case {
    key: PublicKey,
    alg: SignatureAlgorithm,
    msg: Vec<u8>,
    sig: Vec<u8>,
}

fn unhex(s: &str) -> Vec<u8> {
    if s == "-" {
        return Vec::new();
    }
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap())
        .collect()
}

fn hash(name: &str) -> HashAlgorithm {
    match name {
        "sha1" => HashAlgorithm::Sha1,
        "sha256" => HashAlgorithm::Sha256,
        "sha384" => HashAlgorithm::Sha384,
        "sha512" => HashAlgorithm::Sha512,
        other => panic!("unknown hash {other}"),
    }
}

/// An OpenSSL-made RSA case: key name, algorithm, message, signature.
type RsaCase = (String, SignatureAlgorithm, Vec<u8>, Vec<u8>);

/// The OpenSSL-made RSA cases.
fn rsa_cases() -> &'static Vec<RsaCase> {
    static CASES: std::sync::OnceLock<Vec<RsaCase>> = std::sync::OnceLock::new();
    CASES.get_or_init(|| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/data/signatures/rsa.txt");
        let text = std::fs::read_to_string(path).unwrap();
        let mut out = Vec::new();
        for line in text.lines() {
            let f: Vec<&str> = line.split(' ').collect();
            if f[0] != "sig" {
                continue;
            }
            let scheme: Vec<&str> = f[2].split('-').collect();
            let alg = match scheme[0] {
                "pkcs1" => SignatureAlgorithm::RsaPkcs1(hash(scheme[1])),
                _ => SignatureAlgorithm::RsaPss(hash(scheme[1]), scheme[2].parse().unwrap()),
            };
            out.push((f[1].to_string(), alg, unhex(f[3]), unhex(f[4])));
        }
        out
    })
}

fn rsa_key(name: &str) -> PublicKey {
    use der::Decode;
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/signatures/rsa.txt");
    let text = std::fs::read_to_string(path).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with(&format!("key {name} ")))
        .unwrap();
    let der = unhex(line.split(' ').nth(2).unwrap());
    let spki = spki::SubjectPublicKeyInfoOwned::from_der(&der).unwrap();
    PublicKey::from_spki(&spki).unwrap()
}

const HASHES: [HashAlgorithm; 4] = [
    HashAlgorithm::Sha1,
    HashAlgorithm::Sha256,
    HashAlgorithm::Sha384,
    HashAlgorithm::Sha512,
];

/// An ECDSA or Ed25519 case from a random secret (`kind`: 0 P-256, 1 P-384, 2 P-521,
/// 3 Ed25519), or `None` when the secret is not a valid scalar.
fn made_case(kind: u8, secret: &[u8; 66], h: HashAlgorithm, msg: Vec<u8>) -> Option<Case> {
    let digest = h.digest(&msg);
    macro_rules! ecdsa {
        ($curve:ident, $len:expr, $variant:ident) => {{
            let sk = $curve::ecdsa::SigningKey::from_slice(&secret[..$len]).ok()?;
            let sig: $curve::ecdsa::DerSignature = sk.sign_prehash(&digest).ok()?;
            let vk = *sk.verifying_key();
            let sec1 = vk.to_sec1_point(false).as_bytes().to_vec();
            (
                PublicKey::Ec(Box::new(EcKey {
                    point: EcPoint::$variant(vk),
                    sec1,
                })),
                SignatureAlgorithm::Ecdsa(h),
                sig.as_bytes().to_vec(),
            )
        }};
    }
    let (key, alg, sig) = match kind {
        0 => ecdsa!(p256, 32, P256),
        1 => ecdsa!(p384, 48, P384),
        2 => ecdsa!(p521, 66, P521),
        _ => {
            use ed25519_dalek::Signer;
            let seed: [u8; 32] = Sha256::digest(&secret[..]).into();
            let sk = ed25519_dalek::SigningKey::from_bytes(&seed);
            let sig = sk.sign(&msg).to_bytes().to_vec();
            (
                PublicKey::Ed25519(sk.verifying_key()),
                SignatureAlgorithm::Ed25519,
                sig,
            )
        }
    };
    Some(Case { key, alg, msg, sig })
}

/// Damages a case (`how` picks the damage, `at` and `byte` where and what); 0 keeps it valid.
fn damage(case: &mut Case, how: u8, at: usize, byte: u8) {
    let n = case.sig.len().max(1);
    match how % 8 {
        0 => {}
        1 => {
            let i = at % n;
            if let Some(b) = case.sig.get_mut(i) {
                *b ^= 1 << (byte % 8);
            }
        }
        2 => case.sig.truncate(at % n),
        3 => case.sig.push(byte),
        4 => case.sig.insert(0, byte),
        5 => case.sig = vec![byte; at % (2 * n + 1)],
        6 => case.msg.push(byte),
        _ => {
            case.alg = match case.alg {
                SignatureAlgorithm::RsaPkcs1(h) => {
                    SignatureAlgorithm::RsaPkcs1(HASHES[(h as usize + 1) % 4])
                }
                SignatureAlgorithm::RsaPss(h, s) => SignatureAlgorithm::RsaPss(h, s + 1),
                SignatureAlgorithm::Ecdsa(h) => {
                    SignatureAlgorithm::Ecdsa(HASHES[(h as usize + 1) % 4])
                }
                SignatureAlgorithm::Ed25519 => {
                    case.msg.insert(0, byte);
                    SignatureAlgorithm::Ed25519
                }
            }
        }
    }
}

fn check(case: &Case, valid: bool) -> Result<(), TestCaseError> {
    let pure = verify_with(&PureRust, case.alg, &case.key, &case.msg, &case.sig);
    let ring = verify_with(&Ring, case.alg, &case.key, &case.msg, &case.sig);
    prop_assert_eq!(&pure, &ring, "{:?} {}", case.alg, Ring.name());
    if valid {
        prop_assert!(
            pure.is_ok(),
            "an undamaged {:?} signature must verify",
            case.alg
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// RSA PKCS#1 v1.5 and PSS (1024 to 4096 bits, SHA-1 to SHA-512, salts equal to and
    /// different from the hash length), valid and damaged.
    #[test]
    fn rsa_backends_agree(pick in any::<usize>(), how in any::<u8>(), at in any::<usize>(), byte in any::<u8>()) {
        let all = rsa_cases();
        let (name, alg, msg, sig) = &all[pick % all.len()];
        let mut case = Case { key: rsa_key(name), alg: *alg, msg: msg.clone(), sig: sig.clone() };
        damage(&mut case, how, at, byte);
        check(&case, how % 8 == 0)?;
    }

    /// ECDSA P-256/384/521 with every hash, and Ed25519, from random keys and messages,
    /// valid and damaged.
    #[test]
    fn ec_and_ed25519_backends_agree(
        kind in 0u8..4,
        secret in proptest::array::uniform32(any::<u8>()).prop_flat_map(|a| {
            proptest::array::uniform32(any::<u8>()).prop_map(move |b| {
                let mut s = [0u8; 66];
                s[..32].copy_from_slice(&a);
                s[32..64].copy_from_slice(&b);
                s[64] = a[0];
                s[0] &= 0x7f; // below every curve order most of the time
                s
            })
        }),
        h in 0usize..4,
        msg in proptest::collection::vec(any::<u8>(), 0..300),
        how in any::<u8>(), at in any::<usize>(), byte in any::<u8>(),
    ) {
        let mut secret = secret;
        secret[0] &= if kind == 2 { 0x01 } else { 0x7f }; // P-521 scalars have 521 bits
        let Some(mut case) = made_case(kind, &secret, HASHES[h], msg) else {
            return Ok(());
        };
        damage(&mut case, how, at, byte);
        check(&case, how % 8 == 0)?;
    }
}

/// Which cases ring itself answers and which fall back to pure Rust (the table in
/// `ring.rs`): a change there is seen here, not only in timings.
#[test]
fn ring_answers_what_it_supports_and_falls_back_otherwise() {
    use super::ring::ring_algorithm;
    let r2048 = rsa_key("rsa2048");
    let r1024 = rsa_key("rsa1024");
    let sha256 = HashAlgorithm::Sha256;
    assert!(ring_algorithm(SignatureAlgorithm::RsaPkcs1(sha256), &r2048).is_some());
    assert!(ring_algorithm(SignatureAlgorithm::RsaPss(sha256, 32), &r2048).is_some());
    assert!(ring_algorithm(SignatureAlgorithm::RsaPss(sha256, 20), &r2048).is_none());
    assert!(ring_algorithm(SignatureAlgorithm::RsaPkcs1(sha256), &r1024).is_none());
    let secret = [7u8; 66];
    for (kind, h, by_ring) in [
        (0, HashAlgorithm::Sha256, true),
        (0, HashAlgorithm::Sha512, false),
        (1, HashAlgorithm::Sha384, true),
        (1, HashAlgorithm::Sha1, false),
        (2, HashAlgorithm::Sha512, false),
        (3, HashAlgorithm::Sha512, false),
    ] {
        let mut s = secret;
        s[0] = 1;
        let case = made_case(kind, &s, h, b"m".to_vec()).unwrap();
        assert_eq!(
            ring_algorithm(case.alg, &case.key).is_some(),
            by_ring,
            "{kind} {h:?}"
        );
        assert!(verify_with(&Ring, case.alg, &case.key, &case.msg, &case.sig).is_ok());
    }
}
