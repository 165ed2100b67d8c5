"""Chart files that MkDocs lists with the site's files but that are copied after the pages.

A record's chart is kept in the chart store's folder (see `site.charts.store`), which
draws the missing ones (`ChartStore.finish`). These files are copied from there after
MkDocs has rendered the pages: `copy_file` skips them, and `copy_drawn` makes sure every
one is drawn and copies it. The pages link to them as to any file of the site, so links
are checked as usual.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from ..site.charts.store import ChartStore


class DrawnFile(File):
    """A site file copied from the chart store by `copy_drawn`, not by MkDocs' static pass."""

    def copy_file(self, dirty: bool = False) -> None:
        """Leave the copy to `copy_drawn`, once the store has drawn every chart."""

    def copy_drawn(self) -> None:
        """Copy the drawn chart into the site."""
        super().copy_file()


def add_drawn(files: Files, config: MkDocsConfig, drawn: dict[str, Path]) -> list[DrawnFile]:
    """Add and return a `DrawnFile` for each site path, copied from its file in the store."""
    added = []
    for path, source in sorted(drawn.items()):
        existing = files.get_file_from_path(path)
        if existing is not None:
            files.remove(existing)
        file = DrawnFile.generated(config, path, abs_src_path=str(source))
        assert isinstance(file, DrawnFile)
        files.append(file)
        added.append(file)
    return added


def copy_drawn(store: ChartStore, files: Iterable[DrawnFile]) -> None:
    """Make sure every chart is drawn, then copy each into the site."""
    store.finish()
    for file in files:
        file.copy_drawn()
