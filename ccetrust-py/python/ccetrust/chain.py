"""Chain validation: is this certificate trusted, and if not, why not?

:func:`verify` builds every candidate path from the certificate through the intermediates
(any order, decoys allowed) to one of the anchors (certificates, or a
:class:`ccetrust.keystore.Keystore`'s trusted entries), checks it as the chosen client
would (``profile="browser"`` or ``"java"``), then checks the name. The returned
:class:`Verdict` says ``valid``, a stable ``code``, and a ``reason`` naming the certificate
to act on. The work runs without the GIL, within a budget that a hostile pool cannot
exhaust.
"""

from __future__ import annotations

from ccetrust._ccetrust import Verdict, describe, verify

__all__ = ["Verdict", "describe", "verify"]
