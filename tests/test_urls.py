"""generator.core.urls: the shortcut for URLs that need no rewriting gives what rewriting gives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.core import urls

PIECES = ["https://", "http://", "HTTPS://", "mailto:", "a", "Z", "0", "-", ".", "/", "//",
          "?", "#", "%", "%41", "@", ":", ":80", "[", "]", " ", "é", "_", "~", "!", "$", "&",
          "'", "(", ")", "*", "+", ",", ";", "=", "\\", '"', "<", "\n", "\u202e", "xn--p1ai",
          "example.com", "a-b", "-a", "a..b"]  # fmt: skip


def both(text: str) -> tuple[str, str | None]:
    """Return what normalise and the full rewrite make of text: a URL or the reason."""
    results = []
    for fn in (urls.normalise, urls._rewrite):
        try:
            results.append(fn(text))
        except ValueError as err:  # BadUrl, or urlsplit's own (an unclosed '[')
            results.append(f"{type(err).__name__}: {err}")
    return results[0], results[1]


@pytest.mark.parametrize(
    "text",
    ["https://git.example.com/ai/x-1", "http://a.b/c?d=1&e=2#f", "https://a.com//x",
     "https://a.com.", "https://a.com?x=1", "https://a.com#f", "https://a.com/x?a?b#c?d",
     "https://A.com/", "https://a.com/x?", "https://a.com/x#", "https://a.com:80/",
     "https://a.com/%41", "https://-a.com/", "https://a..com/"],
)  # fmt: skip
def test_the_shortcut_agrees_with_the_rewrite(text: str) -> None:
    first, second = both(text)
    assert first == second


def test_well_formed_urls_take_the_shortcut() -> None:
    assert urls._WELL_FORMED.fullmatch("https://wiki.example.com/checks/117-data-access")
    assert not urls._WELL_FORMED.fullmatch("https://a.com/x?")  # the rewrite drops the '?'


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=8))
def test_any_url_from_pieces(pieces: list[str]) -> None:
    first, second = both("".join(pieces))
    assert first == second
