"""`Report` -> `{path: content}`: every page, chart and export of the site. No MkDocs here.

Entry point: `build_site_files(report, settings)`; a page goes in `sections.py`, `build.py`
and a template, a chart in `charts/`, an export in `exports.py`.
"""

from .build import SiteSettings, build_site_files

__all__ = ["SiteSettings", "build_site_files"]
