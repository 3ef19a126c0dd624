//! Unit tests of the model's small contracts (formats, passwords, errors).

use super::*;

#[test]
fn format_names_round_trip() {
    for f in Format::ALL {
        assert_eq!(f.to_string().parse::<Format>().unwrap(), f);
        assert_eq!(f.to_string().to_lowercase().parse::<Format>().unwrap(), f);
    }
    assert_eq!("PFX".parse::<Format>().unwrap(), Format::Pkcs12);
    assert_eq!("jwk".parse::<Format>().unwrap_err().kind(), "usage");
}

#[test]
fn passwords_never_print() {
    let p = Password::new("changeit");
    assert_eq!(format!("{p:?}"), "Password(***)");
    assert_eq!(p.utf16be().as_slice(), b"\0c\0h\0a\0n\0g\0e\0i\0t");
    assert_eq!(&p.bmp_string()[16..], &[0, 0]);
    assert!(Password::from_bytes(&[0xff]).is_err());
}

#[test]
fn password_file_takes_the_first_line_without_its_ending() {
    let dir = std::env::temp_dir().join(format!("ccetrust-pw-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("pw.txt");
    std::fs::write(&f, b"\xef\xbb\xbfs3cret\r\nsecond line\n").unwrap();
    assert_eq!(Password::from_file(&f).unwrap().as_str(), "s3cret");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn errors_have_kinds_and_offsets() {
    let e = KeystoreError::malformed(Format::Jks, 42, "x");
    assert_eq!((e.kind(), e.offset()), ("malformed", Some(42)));
    let wrapped = e.with_alias("a");
    assert_eq!((wrapped.kind(), wrapped.offset()), ("malformed", Some(42)));
    assert!(wrapped.to_string().starts_with("alias 'a': "));
    let top: crate::Error = KeystoreError::integrity("wrong password").into();
    assert_eq!(top.kind(), "integrity");
}
