"""Outside links: parse a URL, refuse what is not a well-formed http, https or mailto URL,
and write it out again with every character outside RFC 3986 percent-encoded.

A record's links end up in `href` attributes. Checking only that the text starts with
`https://` let through quotes, brackets and spaces that Markdown or HTML then read as
structure; a URL that has been parsed and re-serialised holds none of them.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, urlsplit, urlunsplit

SCHEMES = ("http", "https", "mailto")
# A DNS name (labels of letters, digits and inner hyphens) or a bracketed IPv6 literal.
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"^(?:{_LABEL})(?:\.{_LABEL})*\.?$|^[0-9a-f:.]+$")
# RFC 3986: what may stay as it is in a path, a query and a fragment (`%` is handled apart).
_PATH_SAFE = "/!$&'()*+,;=:@._~-"
_QUERY_SAFE = _PATH_SAFE + "?"
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_UNSEEN = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
# The URLs most records hold, which `_rewrite` returns unchanged: a lowercase http(s)
# scheme and host name, no user or port, a path from '/' and a non-empty query and
# fragment of characters RFC 3986 lets stay (no '%'). The test checks them against it.
_SAFE = "A-Za-z0-9" + re.escape(_PATH_SAFE)
_WELL_FORMED = re.compile(
    rf"https?://{_LABEL}(?:\.{_LABEL})*\.?(?:/[{_SAFE}]*)?(?:\?[{_SAFE}?]+)?(?:#[{_SAFE}?]+)?"
)


class BadUrl(ValueError):
    """The text is not a URL the site may link to; the message says why."""


def _encode(part: str, safe: str) -> str:
    return quote(_LONE_PERCENT.sub("%25", part), safe=safe + "%")


def _host(netloc: str, hostname: str | None) -> str:
    if "@" in netloc:
        raise BadUrl("a link must not carry a user name or password (text before '@')")
    if not hostname:
        raise BadUrl("has no host name after '//'")
    try:
        host = hostname.encode("idna").decode("ascii") if not hostname.isascii() else hostname
    except UnicodeError:
        raise BadUrl(f"host '{hostname}' is not a valid domain name") from None
    if not _HOST.match(host):
        raise BadUrl(f"host '{hostname}' is not a valid domain name")
    return f"[{host}]" if ":" in host else host


def normalise(text: str) -> str:
    """Return `text` as a well-formed http(s) or mailto URL, or raise BadUrl saying why."""
    if _WELL_FORMED.fullmatch(text):
        return text  # what parsing and writing it out again would give: see _WELL_FORMED
    return _rewrite(text)


def _rewrite(text: str) -> str:
    """Parse `text` and write it out again with every unsafe character percent-encoded."""
    unseen = next((c for c in text if unicodedata.category(c) in _UNSEEN), None)
    if unseen is not None:
        raise BadUrl(f"contains the invisible character U+{ord(unseen):04X}; remove it")
    if text != text.strip():
        raise BadUrl("starts or ends with a space; remove it")
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise BadUrl("must start with http://, https:// or mailto:")
    if scheme == "mailto":
        if parts.netloc or "@" not in parts.path:
            raise BadUrl("a mailto: link needs an address: mailto:name@example.com")
        path, netloc = _encode(parts.path, _PATH_SAFE), ""
    else:
        if not text[len(scheme) :].startswith("://"):
            raise BadUrl(f"write {scheme}:// before the host name")
        try:
            port = parts.port
        except ValueError:
            raise BadUrl("has a port that is not a number from 0 to 65535") from None
        netloc = _host(parts.netloc, parts.hostname) + (f":{port}" if port is not None else "")
        path = _encode(parts.path, _PATH_SAFE)
    query = _encode(parts.query, _QUERY_SAFE)
    fragment = _encode(parts.fragment, _QUERY_SAFE)
    return urlunsplit((scheme, netloc, path, query, fragment))


def safe(text: str) -> str | None:
    """Return the normalised URL, or None when it may not be linked to."""
    try:
        return normalise(text)
    except BadUrl:
        return None
