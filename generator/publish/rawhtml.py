"""A Python-Markdown extension that passes plain HTML blocks through untouched.

Python-Markdown already leaves a raw HTML block alone, but it finds the block's end
by running the whole block through `html.parser`: on generated pages, which are raw
HTML but for their headings, that was most of all Markdown time. A block here is

- a line that starts with one of `BLOCK_TAGS` (`<p`, `<ul`, `<table`, `<div`, ...,
  then a space or `>`) at column 0, after a blank line (or at the start of the page),
- through the line that ends with the tag's matching closing tag (`</p>`, `</div>`,
  ...: the same tag may nest), followed by a blank line (or the end),
- with no `markdown=` attribute (md_in_html would treat that block differently).

Such a block is stored in Markdown's own HTML stash, as its block-HTML preprocessor
would store it, so the page's HTML is the same, byte for byte; anything else is
left to Markdown. Record text cannot end a block early: the page templates escape
every `<` in it.
"""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

BLOCK_TAGS = ("blockquote", "details", "div", "figure", "ol", "p", "table", "ul")
_START = re.compile(rf"<({'|'.join(BLOCK_TAGS)})[\s>]")
_OPENS = {tag: re.compile(rf"<{tag}[\s>]") for tag in BLOCK_TAGS}
# After normalize_whitespace (30), before the block-HTML preprocessor (20).
PRIORITY = 25


class RawTables(Preprocessor):
    """Stash every plain HTML block (see the module) before Markdown parses HTML."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        i, n = 0, len(lines)
        while i < n:
            line = lines[i]
            start = _START.match(line)
            end = self._block_end(lines, i, start.group(1)) if start else None
            if end is None:
                out.append(line)
                i += 1
                continue
            block = "\n".join(lines[i : end + 1])
            out.append(self.md.htmlStash.store(block + "\n"))  # as md_in_html stores it
            i = end + 1
        return out

    @staticmethod
    def _block_end(lines: list[str], start: int, tag: str) -> int | None:
        """Return the index of the block's closing line, or None if it is no plain block."""
        if start > 0 and lines[start - 1].strip():
            return None
        opens, close = _OPENS[tag], f"</{tag}>"
        depth = 0
        for j in range(start, len(lines)):
            line = lines[j]
            if "markdown=" in line:
                return None
            depth += len(opens.findall(line)) - line.count(close)
            if depth <= 0:
                ends = depth == 0 and line.endswith(close)
                return j if ends and (j + 1 == len(lines) or not lines[j + 1].strip()) else None
        return None


class RawTablesExtension(Extension):
    """Register `RawTables`; add it to a Markdown instance's extensions."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(RawTables(md), "portfolio_raw_tables", PRIORITY)


def makeExtension(**kwargs: object) -> RawTablesExtension:
    """Entry point for `markdown_extensions: [generator.rawhtml]`."""
    return RawTablesExtension(**kwargs)
