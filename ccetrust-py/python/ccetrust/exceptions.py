"""Exceptions raised by ccetrust.

Every error is a :class:`CcetrustError`. Errors about malformed input are also
:class:`ValueError`, so code that already catches ``ValueError`` around parsing keeps
working. Each exception carries where the problem is, when known: ``offset`` (byte offset
in the DER), ``line`` (PEM line), ``alias`` (keystore entry), ``path`` (file) and ``index``
(position in a batch). Messages never contain a password.

Files that cannot be read raise Python's own :class:`OSError` subclasses
(:class:`FileNotFoundError`, :class:`PermissionError`) with ``filename`` set; a path that
is not a regular file (a device, FIFO, socket) or a file over its kind's size limit raises
:class:`InputError` (``kind`` ``not_a_file`` or ``too_large``, ``path`` set).
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "CcetrustError",
    "ParseError",
    "UsageError",
    "KeystoreError",
    "KeystoreIntegrityError",
    "KeystoreFormatError",
    "ConcurrentModificationError",
    "VerificationError",
    "InventoryError",
    "FetchError",
    "InputError",
]


class CcetrustError(Exception):
    """Base class of every error ccetrust raises."""

    kind: str
    """A short, stable machine name for the kind of error (``malformed``, ``wrong_kind``…)."""
    offset: int | None
    line: int | None
    alias: str | None
    path: str | None
    index: int | None

    def __init__(
        self,
        message: str,
        *,
        kind: str = "error",
        offset: int | None = None,
        line: int | None = None,
        alias: str | None = None,
        path: str | None = None,
        index: int | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.offset = offset
        self.line = line
        self.alias = alias
        self.path = path
        self.index = index

    def __reduce__(self) -> tuple[Any, ...]:
        # Keep kind/offset/line/alias/path/index across pickling (multiprocessing pools);
        # a VerificationError's verdict is a native object and stays behind.
        state = {k: v for k, v in self.__dict__.items() if k != "verdict"}
        return (_rebuild, (type(self), self.args, state))


def _rebuild(cls: type[CcetrustError], args: tuple[Any, ...], state: dict[str, Any]) -> CcetrustError:
    err = cls.__new__(cls)
    err.args = args
    err.__dict__.update(state)
    return err


class ParseError(CcetrustError, ValueError):
    """Certificate, CSR, PKCS#7 or keystore bytes that cannot be decoded."""


class UsageError(CcetrustError, ValueError):
    """A bad argument: an unknown option value, a bad time string."""


class KeystoreError(CcetrustError):
    """A keystore operation failed (no such alias, unsupported entry, unsafe write)."""


class KeystoreIntegrityError(KeystoreError):
    """The keystore's integrity check failed: a wrong password, or a modified file."""


class KeystoreFormatError(KeystoreError, ParseError):
    """Bytes that are not a keystore of the expected format (``offset`` says where)."""


class ConcurrentModificationError(KeystoreError):
    """The store changed on disk since it was loaded (another program, e.g. keytool, wrote
    it); nothing was written. ``kind`` is ``concurrent_modification`` and ``path`` the store:
    load it again and redo the change.

    Other write refusals are :class:`KeystoreError` with ``kind`` ``read_only`` (use
    ``force=True``), ``ownership`` (its owner cannot be kept) or ``busy`` (another writer
    holds the lock)."""


class VerificationError(CcetrustError):
    """A certificate chain did not verify (from ``Verdict.raise_if_invalid()``).

    ``kind`` is the verdict code (``chain.untrusted_issuer``, ``name.mismatch``…) and
    ``verdict`` the full :class:`ccetrust.chain.Verdict`.
    """

    verdict: Any = None


class InventoryError(CcetrustError):
    """A contact-center inventory that cannot be read (``line`` says where)."""


class FetchError(CcetrustError):
    """A live server's chain could not be fetched (connection, TLS handshake, timeout)."""


class InputError(CcetrustError, ValueError):
    """A path that is not a regular file (``kind`` ``not_a_file``: a device, FIFO, socket,
    folder) or a file over the size limit of what it is read as (``too_large``: 16 MiB for a
    certificate or inventory, 256 MiB for a keystore, 1 MiB for a password file)."""
