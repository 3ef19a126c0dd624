//! The `ccetrust` command: keytool-familiar verbs, `--json` everywhere, exit code 0 on
//! success and non-zero on any error.
#![forbid(unsafe_code)]

fn main() {
    std::process::exit(ccetrust::cli::main());
}
