"""Keystores: JKS (Java ``cacerts``), JCEKS (CVP), PKCS#12 (IIS, keytool 17) and PEM.

:meth:`Keystore.load` detects the format from the content and checks integrity with the
store password (a wrong password or a modified file raises
:class:`ccetrust.exceptions.KeystoreIntegrityError`). :meth:`Keystore.save` never leaves a
half-written file: under the store's lock it writes an owner-only temporary file, reads it
back, gives it the store's mode and owner, renames it over the original (through a symbolic
link: over its target) and keeps a backup ``NAME.YYYYMMDDTHHMMSSZ.bak``. Saving to the file
a keystore was loaded from raises :class:`ccetrust.exceptions.ConcurrentModificationError`
if another program changed it since; a read-only store needs ``force=True``. Passwords are ``str`` or ``bytes`` and never appear in a repr or an
exception.
"""

from __future__ import annotations

from ccetrust._ccetrust import Entry, Keystore, detect_format

__all__ = ["Entry", "Keystore", "detect_format"]
