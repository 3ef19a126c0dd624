"""Fixtures made at test time by the real tools (openssl, keytool): see gen_fixtures.sh."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).parent


def _require(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed: fixtures made by {tool} are unavailable")


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
