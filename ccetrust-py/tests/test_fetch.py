"""ccetrust.fetch against openssl s_server on the loopback interface."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import pytest

from ccetrust import exceptions, fetch, x509
from conftest import free_port
from tools import require


def test_fetch_chain_returns_what_the_server_sent(fx: Path, server: int) -> None:
    leaf, inter = (x509.Certificate((fx / f).read_bytes()) for f in ("leaf.pem", "int.pem"))
    got = fetch.fetch_chain("127.0.0.1", server, timeout=10)
    assert got.certificates == [leaf, inter]
    assert got.tls_version in ("TLSv1.2", "TLSv1.3") and got.cipher_suite
    assert got.sni is None  # no SNI for an IP address
    assert got.address == f"127.0.0.1:{server}" and len(got) == 2
    # What `ccetrust fetch --json` reports about the handshake, as attributes.
    assert got.handshake_completed is True
    assert got.client_certificate_requested is False
    assert got.acceptable_client_cas == []


def test_fetch_chain_reports_a_client_certificate_request(fx: Path) -> None:
    """A server that requires a client certificate (openssl s_server -Verify, CA list from
    -CAfile): the chain is still collected, and the request and its CA names are reported."""
    require("openssl", "the openssl s_server")
    port = free_port()
    proc = subprocess.Popen(
        ["openssl", "s_server", "-quiet", "-accept", str(port), "-cert", "leaf.pem", "-key", "leaf.key",
         "-cert_chain", "int.pem", "-Verify", "1", "-CAfile", "root.pem", "-naccept", "2"],
        cwd=fx, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        # -naccept 2: one for the readiness probe above, one for the fetch.
        got = fetch.fetch_chain("127.0.0.1", port, timeout=10)
    finally:
        proc.kill()
        proc.wait()
    root = x509.Certificate((fx / "root.pem").read_bytes())
    assert got.client_certificate_requested is True
    assert got.acceptable_client_cas == [root.subject]
    assert len(got.certificates) == 2


def test_out_of_range_ports_are_usage_errors() -> None:
    """fetch_chain(host, 70000) is a UsageError naming the port, not an OverflowError."""
    for port in (70000, 0, -1, 65536):
        with pytest.raises(exceptions.UsageError, match=f"not {port}"):
            fetch.fetch_chain("127.0.0.1", port, timeout=1)
        with pytest.raises(exceptions.UsageError, match=f"not {port}"):
            fetch.fetch_many([("127.0.0.1", port)], timeout=1)


def test_fetch_many_reports_each_failure(fx: Path, server: int) -> None:
    dead = free_port()
    results = fetch.fetch_many([f"127.0.0.1:{server}", ("127.0.0.1", dead)], concurrency=2, timeout=5)
    assert isinstance(results[0], fetch.FetchedChain) and len(results[0].certificates) == 2
    assert isinstance(results[1], exceptions.FetchError) and results[1].kind == "refused"


def test_targets() -> None:
    assert fetch.parse_target("https://rgra.example.com:7890/icm-dp/rest") == ("rgra.example.com", 7890)
    assert fetch.parse_target("[::1]:8443") == ("::1", 8443)
    with pytest.raises(exceptions.UsageError):
        fetch.parse_target("ftp://x")
    assert fetch.pem_file_name("RGRA.example.com", 7890, 1) == "rgra.example.com_7890.ca1.pem"


def test_refused_raises_fetch_error() -> None:
    with pytest.raises(exceptions.FetchError) as info:
        fetch.fetch_chain("127.0.0.1", free_port(), timeout=5)
    assert info.value.kind == "refused"


def test_fetch_releases_the_gil_while_it_waits() -> None:
    """The server side of this test is Python code in this interpreter: it can only accept
    and answer while fetch_chain waits on the network if fetch_chain released the GIL.
    Were it held, the fetch would end in a handshake timeout instead of seeing the close."""
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    outcome: list[BaseException | object] = []

    def client() -> None:
        try:
            outcome.append(fetch.fetch_chain("127.0.0.1", port, timeout=20))
        except BaseException as e:  # noqa: BLE001 - recorded for the assertion
            outcome.append(e)

    t = threading.Thread(target=client)
    t.start()
    conn, _ = listener.accept()
    conn.recv(1024)  # the ClientHello
    conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")
    conn.close()
    t.join(30)
    listener.close()
    (err,) = outcome
    assert isinstance(err, exceptions.FetchError) and err.kind in ("not_tls", "closed"), err


def test_bad_timeouts_and_concurrency_are_usage_errors() -> None:
    """The CLI's bounds: a timeout in (0, 3600] seconds, at most 64 connections at once."""
    for timeout in (0.0, -1.0, float("nan"), float("inf"), 3601.0):
        with pytest.raises(exceptions.UsageError, match="timeout"):
            fetch.fetch_chain("127.0.0.1", 1, timeout=timeout)
        with pytest.raises(exceptions.UsageError, match="timeout"):
            fetch.fetch_many(["127.0.0.1:1"], timeout=timeout)
    for concurrency in (0, 65):
        with pytest.raises(exceptions.UsageError, match="concurrency"):
            fetch.fetch_many(["127.0.0.1:1"], concurrency=concurrency)
