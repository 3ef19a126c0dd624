//! PKCS#10 CSRs, their signature check and the CSR/certificate comparison.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(csr) = ccetrust::CertificateRequest::from_der(data) {
        let _ = csr.signature_valid();
        let _ = csr.requested_sans();
        let _ = ccetrust::report::csr_json(&csr, "fuzz", 0);
    }
});
