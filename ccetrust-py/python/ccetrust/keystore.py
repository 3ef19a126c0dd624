"""Keystores: JKS (Java ``cacerts``), JCEKS (CVP), PKCS#12 (IIS, keytool 17) and PEM.

:meth:`Keystore.load` detects the format from the content and checks integrity with the
store password (a wrong password or a modified file raises
:class:`ccetrust.exceptions.KeystoreIntegrityError`). :meth:`Keystore.save` never leaves a
half-written file: it writes a temporary file, reads it back, renames it over the original
and keeps a backup. Passwords are ``str`` or ``bytes`` and never appear in a repr or an
exception.
"""

from __future__ import annotations

from ccetrust._ccetrust import Entry, Keystore, detect_format

__all__ = ["Entry", "Keystore", "detect_format"]
