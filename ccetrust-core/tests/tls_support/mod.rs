//! Loopback TLS servers, and the openssl helpers, for the tests that collect live chains
//! (`fetch.rs`, `cce_fetch.rs`):
//! `openssl s_server` on 127.0.0.1, on a port the OS picked, killed when dropped. Nothing
//! here listens beyond the loopback interface.

#![allow(dead_code)] // each test binary uses its own part

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// A port on 127.0.0.1 that was free a moment ago (bound by the OS, then released).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// An `openssl s_server` on 127.0.0.1; killed on drop.
pub struct SServer {
    pub child: Child,
    pub port: u16,
}

impl SServer {
    /// `openssl s_server -4 -accept 127.0.0.1:PORT ARGS…`, run in `dir`, once it prints
    /// ACCEPT (it listens). A port taken between `free_port` and the bind, or a server that
    /// fails, is retried on another port, five times.
    pub fn start(dir: &Path, args: &[&str]) -> SServer {
        for _ in 0..5 {
            let port = free_port();
            let mut child = Command::new("openssl")
                .current_dir(dir)
                .args(["s_server", "-4", "-accept"])
                .arg(format!("127.0.0.1:{port}"))
                .args(args)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            let stdout = child.stdout.take().unwrap();
            let (tx, rx) = mpsc::channel();
            thread::spawn(move || {
                for line in BufReader::new(stdout).lines() {
                    let Ok(line) = line else { break };
                    if line.trim() == "ACCEPT" {
                        let _ = tx.send(());
                    }
                }
            });
            if rx.recv_timeout(Duration::from_secs(10)).is_ok() {
                return SServer { child, port };
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("openssl s_server did not start");
    }
}

impl Drop for SServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether the `openssl` command runs here; says so when it does not (the test is skipped).
/// Under `CI=true` a missing openssl fails the test (see `tool_support`).
pub fn openssl_available() -> bool {
    crate::tool_support::require("openssl", "the loopback TLS servers (openssl s_server)")
}

/// SHA-256 fingerprint of a PEM file as `openssl x509` computes it, lowercase hex.
pub fn openssl_sha256(file: &Path) -> String {
    let out = Command::new("openssl")
        .args(["x509", "-noout", "-fingerprint", "-sha256", "-in"])
        .arg(file)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let (_, fp) = text.trim().split_once('=').unwrap();
    fp.replace(':', "").to_lowercase()
}
