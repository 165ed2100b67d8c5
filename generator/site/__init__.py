"""`Report` -> `{path: content}`: every page, chart and export of the site. No MkDocs here.

Entry point: `build_site_files(report, settings)`; a page goes in `sections.py` (its rows
in `sectiontypes.py`), `build.py` and a template, a record's data in `views.py` (its rows in
`viewtypes.py`), a chart in `charts/`, an export in `exports.py` (`EXPORTS`).
"""

from .build import SiteSettings, build_site_files

__all__ = ["SiteSettings", "build_site_files"]
