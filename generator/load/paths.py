"""Where the tool may write: inside its folder, never through a symbolic link.

Every file the tool writes (a starter record, the schema, the site folder MkDocs
empties and fills) is checked here first, so a link committed to the repository
cannot turn a build or a `portfolio new` into a write somewhere else.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import UsageError
from .registry import display_path


def writable(path: Path, root: Path) -> Path:
    """Return `path` if writing there stays inside `root` and follows no link, else raise."""
    no_links(path, root)
    if not _absolute(path).resolve().is_relative_to(_absolute(root).resolve()):
        raise UsageError(f"{display_path(path)}: outside {display_path(root)}; refusing to write")
    return path


def no_links(path: Path, root: Path) -> Path:
    """Return `path` unless it, or a folder between it and `root`, is a symbolic link.

    A path outside `root` (a site folder given on the command line) is checked itself.
    """
    current, base = _absolute(path), _absolute(root)
    inside = current.is_relative_to(base)
    while True:
        if current.is_symlink():
            raise UsageError(
                f"{display_path(current)} is a symbolic link; refusing to write through it"
            )
        if not inside or current == base or current.parent == current:
            return path
        current = current.parent


def _absolute(path: Path) -> Path:
    return Path(os.path.abspath(path))  # noqa: PTH100 - keep links in the path to look at them


def write_text(path: Path, text: str, root: Path) -> None:
    """Write a UTF-8 text file inside `root`, refusing links and paths outside it."""
    writable(path, root)
    if path.exists() and not path.is_file():
        raise UsageError(f"{display_path(path)} is not a regular file; refusing to write")
    path.write_text(text, encoding="utf-8")
