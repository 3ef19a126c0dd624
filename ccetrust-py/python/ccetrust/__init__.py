"""ccetrust: certificate trust for Cisco contact centers (PCCE/UCCE/UCCX), from Python.

The work is done in Rust (the private extension module ``ccetrust._ccetrust``); this
package re-exports it by topic:

- :mod:`ccetrust.x509`: certificates, CSRs and names, from any encoding; bulk inspection.
- :mod:`ccetrust.names`: does a certificate carry the host name a client dialled.
- :mod:`ccetrust.chain`: path building and validation, with the reason when it fails.
- :mod:`ccetrust.keystore`: JKS, JCEKS, PKCS#12 and PEM keystores, with safe writes.
- :mod:`ccetrust.fetch`: the chain a live TLS server presents.
- :mod:`ccetrust.cce`: inventory, audit, plan and report of a whole contact center.
- :mod:`ccetrust.exceptions`: the errors, all subclasses of :class:`CcetrustError`.
- :mod:`ccetrust.results`: the `TypedDict` shapes of every dict result (the CLI's JSON).
"""

from __future__ import annotations

from ccetrust import cce, chain, exceptions, fetch, keystore, names, results, x509
from ccetrust._ccetrust import __version__
from ccetrust.exceptions import CcetrustError

__all__ = ["CcetrustError", "__version__", "cce", "chain", "exceptions", "fetch", "keystore", "names", "results", "x509"]
