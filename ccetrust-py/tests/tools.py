"""The one place the Python and Ansible tests ask whether an outside tool is here.

On a developer's machine a missing tool (openssl, keytool, ansible-playbook, ansible-doc)
skips the test with the reason; under ``CI=true`` it fails it, so a runner without a JDK or
without ansible-core cannot go green by skipping. The Rust tests have the same rule in
``ccetrust-core/tests/tool_support``.
"""

from __future__ import annotations

import importlib
import os
import shutil
import sys
from types import ModuleType
from typing import NoReturn

import pytest


def under_ci() -> bool:
    """Whether this is a CI run (``CI=true``, ``1`` or ``yes``)."""
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


def missing(why: str) -> NoReturn:
    """Skips the test (fails it under CI) because ``why``."""
    if under_ci():
        pytest.fail(f"{why}; CI=true, so this fails instead of skipping (install it on the runner)")
    pytest.skip(why)


def require(tool: str, what: str) -> str:
    """The path of ``tool`` (the virtualenv's own first, then PATH), needed for ``what``."""
    exe = shutil.which(tool, path=os.path.dirname(sys.executable)) or shutil.which(tool)
    if exe is None:
        missing(f"{tool} is not installed, needed for {what}")
    return exe


def require_module(name: str, what: str) -> ModuleType:
    """The Python module ``name`` (``cryptography``…), needed for ``what``."""
    try:
        return importlib.import_module(name)
    except ImportError:
        missing(f"the Python module {name} is not installed, needed for {what}")
