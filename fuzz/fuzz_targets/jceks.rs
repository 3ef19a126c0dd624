//! JCEKS: the container and the Java-serialization extent walker for secret-key entries
//! (trailer not checked, so the fuzzer gets past it). Keys are not unlocked here: a
//! JCEKS key costs up to millions of MD5 rounds by design.
#![no_main]
use ccetrust::keystore::{Format, Keystore, Password, WriteOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() >= 4 && data[..4] != [0xce, 0xce, 0xce, 0xce] {
        return;
    }
    if let Ok(ks) = Keystore::from_bytes_unverified(data) {
        assert_eq!(ks.format, Format::Jceks);
        // What we read, we can write back (untouched keys and secret keys verbatim).
        let pw = Password::new("x");
        if let Ok(out) = ks.to_bytes(&pw, &WriteOptions::default()) {
            let back = Keystore::from_bytes(&out, &pw).expect("our own JCEKS reads back");
            assert_eq!(back.entries.len(), ks.entries.len());
        }
    }
});
