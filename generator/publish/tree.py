"""The docs tree on disk: the project's docs folder plus every generated file.

Any engine that reads MkDocs' configuration can build the site from this folder
without the `portfolio` plugin (ProperDocs, Zensical).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

from ..errors import PortfolioError


def write_tree(docs_dir: Path, generated: Iterable[tuple[str, str | bytes]], dest: Path) -> int:
    """Replace `dest` with a copy of `docs_dir` and the generated files; return their count.

    A generated file replaces a docs-folder file of the same path, as in the plugin. Each
    is written as it comes, so no more than one is held at a time.
    """
    count = 0
    if dest.is_symlink() or (dest.exists() and not dest.is_dir()):
        raise PortfolioError(f"{dest} is not a folder; remove it")
    try:
        if dest.exists():
            shutil.rmtree(dest)
        if docs_dir.is_dir():
            shutil.copytree(docs_dir, dest, symlinks=False)
        dest.mkdir(parents=True, exist_ok=True)
        for path, content in generated:
            count += 1
            target = dest / path
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8", newline="\n")
    except OSError as err:
        raise PortfolioError(f"cannot write the docs tree in {dest}: {err}") from err
    return count
