//! The one place the tests ask whether an outside tool (openssl, keytool, dot, python3) or
//! a resource made by one (the JDK's cacerts) is here. On a developer's machine a missing
//! tool skips the check, saying so; under `CI=true` it fails the test, so a CI runner
//! without a JDK cannot go green by skipping the interop tests.
//!
//! Include it with `mod tool_support;` and call [`require`] (a tool) or [`missing`] (any
//! other resource) before the part of a test that needs it.

#![allow(dead_code)] // each test file uses part of it

use std::process::Command;

/// Whether the environment says this is a CI run (`CI=true`, as GitHub Actions, GitLab
/// and most runners set it; `1` and `yes` too).
pub fn under_ci() -> bool {
    matches!(
        std::env::var("CI")
            .map(|v| v.to_ascii_lowercase())
            .as_deref(),
        Ok("true" | "1" | "yes")
    )
}

/// The argument each tool answers without side effects (keytool has no `-version`
/// before JDK 9's `-J-version`; `-help` runs everywhere).
fn probe(tool: &str) -> &'static str {
    match tool {
        "keytool" => "-help",
        "openssl" => "version",
        "dot" => "-V",
        _ => "--version",
    }
}

/// Whether `tool` runs from PATH.
pub fn available(tool: &str) -> bool {
    Command::new(tool).arg(probe(tool)).output().is_ok()
}

/// Whether `tool` is here for `what` (a few words: "the keytool read-back"). When it is
/// not: under CI the test fails; otherwise it prints why it skips and returns false.
#[track_caller]
pub fn require(tool: &str, what: &str) -> bool {
    if available(tool) {
        return true;
    }
    missing(&format!("`{tool}` is not on PATH, needed for {what}"));
    false
}

/// Says a resource the test needs is missing: fails the test under CI, prints that the
/// check is skipped otherwise. The caller returns (skips) after it.
#[track_caller]
pub fn missing(why: &str) {
    if under_ci() {
        panic!("{why}; CI=true, so this fails instead of skipping (install it on the runner)");
    }
    eprintln!("SKIP: {why} (under CI=true this fails)");
}
