//! The TLS handshake of a fetch, step by step: write what rustls wants sent, read what the
//! server answers within the handshake deadline, and tell a server that does not speak TLS
//! (an HTTP page, an SSH banner) from one that closes or resets.
//!
//! Kept apart from `mod.rs` so that [`super::fetch_chain`] reads as its four phases
//! (names, connect, handshake, what was presented) and this loop as one job.

use std::io::{ErrorKind, Read};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use super::{alert_name, sniff, FetchError, Phase};

/// How much of a server's first answer is kept to tell TLS from something else.
const SNIFF_BYTES: usize = 64;

/// One handshake over a connected socket, bounded by a deadline.
pub(super) struct Handshake<'a> {
    pub(super) conn: &'a mut rustls::ClientConnection,
    pub(super) sock: &'a mut TcpStream,
    /// The address connected to, named by every error.
    pub(super) address: SocketAddr,
    /// `host:port` as the user gave it, named by timeouts and I/O errors.
    pub(super) target: &'a str,
    /// The handshake budget (reported by a timeout).
    pub(super) budget: Duration,
    /// When the budget runs out.
    pub(super) deadline: Instant,
}

/// What the first bytes of the server's answer said so far.
struct Sniffer {
    first: Vec<u8>,
    decided: bool,
}

impl Handshake<'_> {
    /// Runs the handshake until rustls has nothing left to exchange.
    pub(super) fn run(&mut self) -> Result<(), FetchError> {
        let mut received = 0usize;
        let mut sniffer = Sniffer {
            first: Vec::with_capacity(SNIFF_BYTES),
            decided: false,
        };
        let mut buf = vec![0u8; 16 * 1024];
        while self.conn.is_handshaking() {
            self.flush(received)?;
            let n = match self.read(&mut buf, received, &sniffer)? {
                Some(n) => n,
                None => continue,
            };
            let chunk = buf.get(..n).unwrap_or_default();
            if !sniffer.decided {
                if !self.sniff(&mut sniffer, chunk)? {
                    received += n;
                    continue;
                }
                // The bytes held back while sniffing go to rustls first, in order.
                if received > 0 {
                    let held = sniffer.first.get(..received).unwrap_or_default().to_vec();
                    self.feed(&held)?;
                }
            }
            received += n;
            self.feed(chunk)?;
        }
        Ok(())
    }

    /// Sends what rustls has queued, each write within the deadline.
    fn flush(&mut self, received: usize) -> Result<(), FetchError> {
        while self.conn.wants_write() {
            let left = self.remaining()?;
            self.sock
                .set_write_timeout(Some(left))
                .map_err(|e| self.io_error(e, received))?;
            self.conn
                .write_tls(self.sock)
                .map_err(|e| self.io_error(e, received))?;
        }
        Ok(())
    }

    /// One read within the deadline: `Some(n)` bytes, `None` to retry after an interrupt.
    fn read(
        &mut self,
        buf: &mut [u8],
        received: usize,
        sniffer: &Sniffer,
    ) -> Result<Option<usize>, FetchError> {
        let left = self.remaining()?;
        self.sock
            .set_read_timeout(Some(left))
            .map_err(|e| self.io_error(e, received))?;
        match self.sock.read(buf) {
            Ok(0) => {
                // A server that closes straight after a few non-TLS bytes is still "not TLS".
                if let (false, sniff::Verdict::NotTls(answer)) =
                    (sniffer.decided, sniff::classify(&sniffer.first))
                {
                    return Err(FetchError::NotTls {
                        addr: self.address,
                        answer,
                    });
                }
                Err(FetchError::Closed {
                    addr: self.address,
                    received,
                })
            }
            Ok(n) => Ok(Some(n)),
            Err(e) if e.kind() == ErrorKind::Interrupted => Ok(None),
            Err(e) => Err(self.io_error(e, received)),
        }
    }

    /// Adds `chunk` to the sniffed prefix: `Ok(true)` once it is TLS, `Ok(false)` while more
    /// bytes are needed to tell, an error when it is something else.
    fn sniff(&self, sniffer: &mut Sniffer, chunk: &[u8]) -> Result<bool, FetchError> {
        let take = (SNIFF_BYTES - sniffer.first.len()).min(chunk.len());
        sniffer
            .first
            .extend_from_slice(chunk.get(..take).unwrap_or_default());
        match sniff::classify(&sniffer.first) {
            sniff::Verdict::NotTls(answer) => Err(FetchError::NotTls {
                addr: self.address,
                answer,
            }),
            sniff::Verdict::NeedMore => Ok(false),
            sniff::Verdict::Tls => {
                sniffer.decided = true;
                Ok(true)
            }
        }
    }

    /// Hands server bytes to rustls and processes them; on a protocol error, sends rustls's
    /// alert back (best effort) and maps the error.
    fn feed(&mut self, mut bytes: &[u8]) -> Result<(), FetchError> {
        let addr = self.address;
        while !bytes.is_empty() {
            let result = self
                .conn
                .read_tls(&mut bytes)
                .map_err(|e| FetchError::Handshake {
                    addr,
                    detail: e.to_string(),
                })
                .and_then(|_| {
                    self.conn
                        .process_new_packets()
                        .map(|_| ())
                        .map_err(|e| tls_error(e, addr))
                });
            if let Err(e) = result {
                while self.conn.wants_write() {
                    if self.conn.write_tls(self.sock).is_err() {
                        break;
                    }
                }
                return Err(e);
            }
        }
        Ok(())
    }

    /// The time left before the deadline, or the handshake timeout.
    fn remaining(&self) -> Result<Duration, FetchError> {
        self.deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
            .ok_or_else(|| self.timeout())
    }

    fn timeout(&self) -> FetchError {
        FetchError::Timeout {
            target: self.target.to_string(),
            phase: Phase::Handshake,
            after: self.budget,
        }
    }

    /// A socket error as the fetch reports it: a timeout, the server closing, or plain I/O.
    fn io_error(&self, e: std::io::Error, received: usize) -> FetchError {
        match e.kind() {
            ErrorKind::WouldBlock | ErrorKind::TimedOut => self.timeout(),
            ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted | ErrorKind::BrokenPipe => {
                FetchError::Closed {
                    addr: self.address,
                    received,
                }
            }
            _ => FetchError::Io {
                target: self.target.to_string(),
                source: e,
            },
        }
    }

    /// Flushes a queued Finished, says goodbye when the handshake completed (never
    /// application data), and closes the socket.
    pub(super) fn close(self, completed: bool) {
        if completed {
            self.conn.send_close_notify();
        }
        while self.conn.wants_write() {
            if self.conn.write_tls(self.sock).is_err() {
                break;
            }
        }
        let _ = self.sock.shutdown(std::net::Shutdown::Both);
    }
}

/// A rustls error as a fetch error: a received alert keeps its code and name.
fn tls_error(e: rustls::Error, addr: SocketAddr) -> FetchError {
    match e {
        rustls::Error::AlertReceived(alert) => {
            let code = u8::from(alert);
            FetchError::Alert {
                addr,
                name: alert_name(code),
                code,
            }
        }
        other => FetchError::Handshake {
            addr,
            detail: other.to_string(),
        },
    }
}
