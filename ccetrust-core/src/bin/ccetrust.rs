//! The `ccetrust` command: keytool-familiar verbs, `--json` everywhere, one exit-code table
//! (0 yes, 1 could not, 2 usage, 3 no; see `cli::exit`).
#![forbid(unsafe_code)]

fn main() {
    std::process::exit(ccetrust::cli::main());
}
