"""The GIL is released around heavy work: another Python thread runs while ccetrust derives
keys, audits a deployment or parses a batch.

How it is told: the switch interval is raised to 100 s, so the calling thread keeps the GIL
for the whole call unless the call itself lets it go. A second thread counts, waiting half a
millisecond (without the GIL) between counts. If the call holds the GIL, the count cannot
move while it runs; if the call releases it, the count moves. A pure-Python computation of
similar length is the control: there the count stays where it was.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ccetrust import cce, keystore, x509


def other_thread_progress(call: Callable[[], Any]) -> int:
    """How many times another Python thread counted while `call` ran."""
    count = 0
    stop = threading.Event()
    started = threading.Event()

    def counter() -> None:
        nonlocal count
        started.set()
        while not stop.is_set():
            count += 1
            stop.wait(0.0005)

    old = sys.getswitchinterval()
    sys.setswitchinterval(100.0)
    thread = threading.Thread(target=counter)
    try:
        thread.start()
        started.wait()
        before = count
        call()
        during = count - before
    finally:
        stop.set()
        thread.join()
        sys.setswitchinterval(old)
    return during


def test_the_control_holds_the_gil() -> None:
    assert other_thread_progress(lambda: sum(range(5_000_000))) == 0


def test_key_derivation_releases_the_gil(fx: Path) -> None:
    # slow.p12: 500,000 iterations for the MAC (checked at load) and for the key (unlock).
    ks: list[keystore.Keystore] = []
    assert other_thread_progress(lambda: ks.append(keystore.Keystore.load(fx / "slow.p12", "changeit"))) > 0
    assert other_thread_progress(lambda: ks[0].unlock_keys("changeit")) > 0
    assert ks[0].entries[0].key_unlocked is True


def test_an_audit_releases_the_gil(fx: Path, tmp_path: Path) -> None:
    (tmp_path / "leaf.pem").write_bytes((fx / "leaf.pem").read_bytes())
    (tmp_path / "cacerts.p12").write_bytes((fx / "slow.p12").read_bytes())
    inv = cce.Inventory.parse(
        """[deployment]
name = "gil"
product = "pcce"
version = "12.5"
domain = "example.com"

[[host]]
name = "awa"
fqdn = "awa.example.com"
roles = ["aw"]
side = "A"
[host.presents]
iis = "leaf.pem"
[[host.store]]
kind = "cacerts"
path = "cacerts.p12"
""",
        tmp_path,
    )
    reports: list[cce.AuditReport] = []
    assert other_thread_progress(lambda: reports.append(cce.audit(inv, offline=True))) > 0
    assert reports[0].summary["hosts"] == 1


def test_a_batch_inspection_releases_the_gil(fx: Path) -> None:
    items = [(fx / f).read_bytes() for f in ("leaf.der", "int.pem", "root.pem", "ec.pem")] * 5_000
    out: list[list[dict[str, Any]]] = []
    assert other_thread_progress(lambda: out.append(x509.inspect_many(items, threads=1))) > 0
    assert len(out[0]) == len(items)
