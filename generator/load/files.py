"""One file's bytes and text: a regular file, no link, at most 1 MiB, UTF-8, then parsed.

What is wrong with a file before its YAML is read is said here, each problem at the line
and column it concerns: a link or another kind of file in a record's place (R011), a huge file
(R008), one that cannot be read (R017), bytes that are not UTF-8 text (R009).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .yamldata import Parsed, Problem
from .yamlsrc import parse

MAX_BYTES = 1024 * 1024


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    return raw.count(b"\n", 0, offset) + 1, offset - line_start + 1


def decode(raw: bytes) -> tuple[str | None, Problem | None]:
    """Decode a record file's bytes, or say why they are not a record's text."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, Problem(
            "R009", 1, 1, "file starts with a byte-order mark; save it as UTF-8 without BOM"
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, Problem("R009", 1, 1, "file is UTF-16 or UTF-32; save it as UTF-8")
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = _byte_position(raw, nul)
        return None, Problem("R009", line, col, "file contains a NUL byte; records are text")
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as err:
        line, col = _byte_position(raw, err.start)
        byte = raw[err.start : err.start + 1].hex()
        return None, Problem(
            "R009", line, col, f"byte 0x{byte} is not UTF-8; save the file as UTF-8"
        )


def read_source(path: Path, status: os.stat_result | None = None) -> Parsed:
    """Read and parse one YAML file, refusing symbolic links, huge and unreadable files.

    `status` is the file's `os.lstat`, when the caller has it already.
    """
    found = read_bytes(path, status)
    if isinstance(found, Problem):
        return Parsed(problems=[found])
    text, problem = decode(found)
    if problem is not None:
        return Parsed(problems=[problem])
    assert text is not None
    return parse(text)


def read_bytes(path: Path, status: os.stat_result | None = None) -> bytes | Problem:
    """Return the bytes of a regular file that is no link, or the problem why not.

    One `lstat` (the caller's, when given) says what the name is; the file is then
    opened without following a link, so a link swapped in meanwhile is not read.
    """
    if status is None:
        status = lstatus(path)
    if status is not None and stat.S_ISLNK(status.st_mode):
        return Problem("R011", 1, 1, "is a symbolic link; commit the file")
    if status is None or not stat.S_ISREG(status.st_mode):
        return Problem("R011", 1, 1, "is not a regular file")
    if status.st_size > MAX_BYTES:  # never read a huge file into memory
        mib = f"{status.st_size / MAX_BYTES:.1f} MiB"
        return Problem("R008", 1, 1, f"file is {mib}; a record may be at most 1 MiB")
    try:
        with os.fdopen(os.open(path, _READ_FLAGS), "rb") as handle:
            return handle.read()
    except OSError as err:
        why = err.strerror or type(err).__name__
        return Problem("R017", 1, 1, f"cannot be read ({why}); fix its permissions")


# Not through a link; never wait on a FIFO put in the file's place.
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def lstatus(path: Path) -> os.stat_result | None:
    """Return the status of the name itself (a link's, not its target's), or None."""
    try:
        return os.lstat(path)
    except (OSError, ValueError):  # ValueError: a NUL in the name
        return None
