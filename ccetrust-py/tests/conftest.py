"""Fixtures made at test time by the real tools (openssl, keytool): see gen_fixtures.sh."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tools import require

HERE = Path(__file__).parent


def _require(tool: str) -> None:
    require(tool, f"the fixtures made by {tool}")


@pytest.fixture(scope="session")
def fx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The directory of fixtures made by gen_fixtures.sh for this session."""
    _require("openssl")
    out = tmp_path_factory.mktemp("fixtures")
    subprocess.run(["bash", str(HERE / "gen_fixtures.sh"), str(out)], check=True, capture_output=True)
    return out


@pytest.fixture(scope="session")
def keytool() -> str:
    _require("keytool")
    return "keytool"


def openssl(*args: str, input: bytes | None = None) -> str:
    """Runs openssl and returns its standard output as text."""
    return subprocess.run(["openssl", *args], check=True, capture_output=True, input=input).stdout.decode()


def keytool_list(path: Path, password: str = "changeit", storetype: str | None = None) -> dict[str, tuple[str, str]]:
    """`keytool -list -v`: {alias: (entry type, SHA-256 fingerprint as lowercase hex)}.

    The password goes through an environment variable (`-storepass:env`), not argv.
    """
    import os
    import re

    args = ["keytool", "-list", "-v", "-keystore", str(path), "-storepass:env", "KT_PASS"]
    if storetype:
        args += ["-storetype", storetype]
    env = dict(os.environ, KT_PASS=password, LC_ALL="C", LANG="C")
    out = subprocess.run(args, check=True, capture_output=True, text=True, env=env).stdout
    entries: dict[str, tuple[str, str]] = {}
    for block in out.split("Alias name: ")[1:]:
        alias = block.splitlines()[0].strip()
        kind = re.search(r"Entry type: (\w+)", block)
        fp = re.search(r"SHA256: ([0-9A-F:]+)", block)
        assert kind and fp, block
        entries[alias] = (kind.group(1), fp.group(1).replace(":", "").lower())
    return entries


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(fx: Path) -> Iterator[int]:
    require("openssl", "the openssl s_server")
    port = free_port()
    proc = subprocess.Popen(
        ["openssl", "s_server", "-quiet", "-accept", str(port), "-cert", "leaf.pem", "-key", "leaf.key",
         "-cert_chain", "int.pem", "-naccept", "4"],
        cwd=fx, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    try:
        yield port
    finally:
        proc.kill()
        proc.wait()


