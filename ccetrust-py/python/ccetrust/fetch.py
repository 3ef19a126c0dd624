"""The chain a live TLS server presents, collected without trusting it.

What an administrator otherwise exports from a browser's padlock, one server at a time:
IIS (443), the Diagnostic Framework Portico (7890), VOS Tomcat (8443). :func:`fetch_chain`
completes a TLS 1.2/1.3 handshake, sends no application data, and returns every
certificate the server sent, in order. :func:`fetch_many` does a list of servers in
parallel and returns, per server, either its chain or the
:class:`ccetrust.exceptions.FetchError` saying what went wrong (DNS, refused, timeout,
TLS alert, not TLS).
"""

from __future__ import annotations

from ccetrust._ccetrust import FetchedChain, fetch_chain, fetch_many, parse_target, pem_file_name

__all__ = ["FetchedChain", "fetch_chain", "fetch_many", "parse_target", "pem_file_name"]
