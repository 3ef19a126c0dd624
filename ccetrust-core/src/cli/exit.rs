//! The exit-code table every verb follows, in one place, so a script reads the same answer
//! from `verify`, `csr compare`, `audit`, `keystore …` and every verb to come.
//!
//! | code | meaning |
//! |------|---------|
//! | 0 | done, and the answer is yes (trusted, matches, no findings at `--fail-on`) |
//! | 1 | could not do it (I/O, parse, password, keystore) |
//! | 2 | usage (bad option, bad option value) |
//! | 3 | done, and the answer is no (chain not valid, CSR and certificate differ, findings at `--fail-on`) |

use crate::Error;

/// Done, and the answer is yes.
pub(crate) const YES: i32 = 0;
/// Could not do it: I/O, parse, password, keystore.
pub(crate) const FAILED: i32 = 1;
/// Usage: a bad option or option value (clap's errors and [`Error::Usage`]).
pub(crate) const USAGE: i32 = 2;
/// Done, and the answer is no.
pub(crate) const NO: i32 = 3;

/// The answer to a yes/no question as an exit code.
pub(crate) fn answer(yes: bool) -> i32 {
    if yes {
        YES
    } else {
        NO
    }
}

/// The exit code of an error: [`USAGE`] for a bad argument found after parsing, otherwise
/// [`FAILED`] (a missing or wrong password is "could not do it", as keytool's is).
pub(crate) fn for_error(e: &Error) -> i32 {
    match e {
        Error::Usage(_) => USAGE,
        _ => FAILED,
    }
}
