#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `Certificate::check_strict_der` (our own walk, `cert/strict.rs`) against `x509-cert`'s
//! full decoding, which the validator used before: on real certificates made by openssl and
//! keytool (the fixtures and examples of this repository) and on tens of thousands of
//! mutations of them, a certificate our reader accepts passes the strict check exactly when
//! `x509-cert` decodes it. The validator trusts no certificate that fails it.
use ccetrust::Certificate;
use der::Decode;
use std::path::Path;

fn seeds() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut out = Vec::new();
    let mut stack = vec![root.join("tests/data"), root.join("examples")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .is_some_and(|x| x == "pem" || x == "crt" || x == "cer")
            {
                if let Ok(certs) = ccetrust::load_certificates(&std::fs::read(&p).unwrap()) {
                    out.extend(certs.iter().map(|c| c.der().to_vec()));
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Our verdict (None: the tolerant reader refuses it already) and x509-cert's.
fn verdicts(der: &[u8]) -> (Option<bool>, bool) {
    let ours = Certificate::from_der(der)
        .ok()
        .map(|c| c.check_strict_der().is_ok());
    (ours, x509_cert::Certificate::from_der(der).is_ok())
}

#[test]
fn real_certificates_pass() {
    let seeds = seeds();
    assert!(
        seeds.len() > 100,
        "fixture certificates found: {}",
        seeds.len()
    );
    for s in &seeds {
        assert_eq!(verdicts(s), (Some(true), true));
    }
}

#[test]
fn mutated_certificates_agree_with_x509_cert() {
    let seeds = seeds();
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let mut rand = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    // Bytes that turn a value into a tag, a length or a sub-identifier boundary.
    const SPECIAL: [u8; 12] = [
        0x00, 0x01, 0x07, 0x08, 0x17, 0x23, 0x2c, 0x30, 0x78, 0x80, 0xa1, 0xff,
    ];
    let (mut checked, mut refused) = (0, 0);
    for _ in 0..60_000 {
        let mut m = seeds[(rand() % seeds.len() as u64) as usize].clone();
        for _ in 0..1 + rand() % 3 {
            let i = (rand() % m.len() as u64) as usize;
            m[i] = match rand() % 4 {
                0 => m[i] ^ (1 << (rand() % 8)),
                1 => rand() as u8,
                2 => SPECIAL[(rand() % SPECIAL.len() as u64) as usize],
                _ => m[i].wrapping_add(1),
            };
        }
        if let (Some(strict), x509) = verdicts(&m) {
            checked += 1;
            refused += usize::from(!strict);
            assert_eq!(
                strict, x509,
                "strict {strict}, x509-cert {x509} on {m:02x?}"
            );
        }
    }
    // The mutations reach the strict rules: some pass our reader and fail them.
    assert!(
        checked > 10_000 && refused > 100,
        "{checked} read, {refused} refused"
    );
}

/// One case per rule, each also refused by `x509-cert`.
#[test]
fn each_rule_refuses_what_x509_cert_refuses() {
    let seed = seeds()
        .into_iter()
        .find(|s| {
            let has = |n: &[u8]| s.windows(n.len()).any(|w| w == n);
            // An RSA-2048 CA with basicConstraints and a UTCTime validity.
            has(&[0x03, 0x82, 0x01, 0x0f, 0x00])
                && has(&[0x06, 0x03, 0x55, 0x1d, 0x13])
                && has(&[0x17, 0x0d, b'2'])
        })
        .unwrap();
    let find = |needle: &[u8]| {
        seed.windows(needle.len())
            .position(|w| w == needle)
            .unwrap()
    };
    let mut cases: Vec<(&str, Vec<u8>)> = Vec::new();
    // UTCTime 1969 (YY = 69): before the epoch.
    let mut m = seed.clone();
    let t = find(&[0x17, 0x0d]);
    m[t + 2] = b'6';
    m[t + 3] = b'9';
    cases.push(("UTCTime before 1970", m));
    // The 31st of a 30-day month.
    let mut m = seed.clone();
    m[t + 4..t + 8].copy_from_slice(b"0431");
    cases.push(("31 April", m));
    // basicConstraints' OID 2.5.29.19 made 2.5.29.147 with a last byte that continues.
    let mut m = seed.clone();
    let o = find(&[0x06, 0x03, 0x55, 0x1d, 0x13]);
    m[o + 4] = 0x93;
    cases.push(("unterminated OID", m));
    // The public key's BIT STRING with 8 unused bits.
    let mut m = seed.clone();
    let b = find(&[0x03, 0x82, 0x01, 0x0f, 0x00]);
    m[b + 4] = 8;
    cases.push(("8 unused bits", m));
    for (what, m) in cases {
        let (ours, x509) = verdicts(&m);
        // Refused by the tolerant reader already (None) or by the strict rules.
        assert_ne!(ours, Some(true), "{what}: our reader and the strict rules");
        assert!(!x509, "{what}: x509-cert");
    }
}
