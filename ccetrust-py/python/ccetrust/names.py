"""Does a certificate carry the host name a client dialled?

Two kinds of clients in a contact center disagree about where a server's name may live:
browsers (Finesse, CUIC, the ECE agent console) read only the subject alternative names;
Java clients (the AW, CVP) fall back to the subject CN when there is no DNS SAN. Pick the
rule with ``profile="browser"`` or ``profile="java"``. Wildcards, case, trailing dots and
IP addresses follow RFC 6125 §6.4 and RFC 2818 §3.1.
"""

from __future__ import annotations

from ccetrust._ccetrust import NameCheck, dns_name_matches, is_valid_reference, presented_names
from ccetrust._ccetrust import check_name as check

__all__ = ["NameCheck", "check", "dns_name_matches", "is_valid_reference", "presented_names"]
