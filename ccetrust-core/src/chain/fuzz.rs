//! The driver of the `chain_build` fuzz target, kept in the library so that the corpus
//! replay test runs exactly the same code on stable Rust.
//!
//! Input layout: `flags, k, k selector bytes, then u16-length-prefixed DER blobs`. The
//! selectors pick certificates from a pool of real ones (leaf first; bit 7 puts the rest in
//! the trust store instead of the intermediates), so the fuzzer explores path building over
//! arbitrary sets, orders, duplicates and cycles of valid certificates; the blobs add
//! arbitrary (mostly malformed) ones.

use super::{verify_with, Budget, Profile, Requirements, Usage, VerifyOptions};
use crate::{Certificate, Timestamp};

#[doc(hidden)]
/// Runs one fuzz input; panics only if an invariant of the verdict is broken.
pub fn run(pool: &[Certificate], data: &[u8]) {
    let (Some(&flags), Some(&k)) = (data.first(), data.get(1)) else {
        return;
    };
    let k = (k % 24) as usize;
    let Some(selectors) = data.get(2..2 + k) else {
        return;
    };
    let mut rest = &data[2 + k..];
    let mut leaf = None;
    let mut intermediates = Vec::new();
    let mut anchors = Vec::new();
    for (i, s) in selectors.iter().enumerate() {
        if pool.is_empty() {
            break;
        }
        let c = pool[(s & 0x7f) as usize % pool.len()].clone();
        if i == 0 {
            leaf = Some(c);
        } else if s & 0x80 != 0 {
            anchors.push(c);
        } else {
            intermediates.push(c);
        }
    }
    let mut n = 0usize;
    while rest.len() >= 2 && n < 16 {
        let len = u16::from_be_bytes([rest[0], rest[1]]) as usize;
        let Some(blob) = rest.get(2..2 + len) else {
            break;
        };
        rest = &rest[2 + len..];
        if let Ok(c) = Certificate::from_der(blob) {
            if leaf.is_none() {
                leaf = Some(c);
            } else if n.is_multiple_of(2) {
                intermediates.push(c);
            } else {
                anchors.push(c);
            }
        }
        n += 1;
    }
    let Some(leaf) = leaf else {
        return;
    };
    let time = pool
        .first()
        .map(|c| c.not_before().plus_days(((flags >> 4) as i64) * 400))
        .unwrap_or(Timestamp::from_unix(0));
    let opts = VerifyOptions {
        name: (flags & 4 != 0).then(|| {
            leaf.subject_alt_names()
                .dns
                .first()
                .cloned()
                .unwrap_or_else(|| "ece.example.local".into())
        }),
        time,
        profile: if flags & 1 != 0 {
            Profile::Java
        } else {
            Profile::Browser
        },
        usage: if flags & 2 != 0 {
            Usage::Client
        } else {
            Usage::Server
        },
    };
    let req = Requirements {
        max_intermediates: (flags & 8 != 0).then_some(1),
        budget: Some(Budget {
            signatures: 40,
            build_calls: 2_000,
            name_constraint_comparisons: 10_000,
        }),
        ..Requirements::default()
    };
    let v = verify_with(&leaf, &intermediates, &anchors, &opts, &req);
    let _ = v.to_json();
    if v.valid {
        assert_eq!(
            v.path.first(),
            Some(&leaf),
            "a valid path starts at the leaf"
        );
        let last = v.path.last();
        assert!(
            anchors
                .iter()
                .any(|a| last.is_some_and(|l| a.der() == l.der()
                    || (a.subject() == l.subject() && a.spki_der() == l.spki_der()))),
            "a valid path ends at a trust anchor"
        );
        assert!(v.path.len() <= super::build::MAX_DEPTH);
    } else {
        assert!(!v.reason.is_empty());
    }
}
