"""The `portfolio` command: a thin click layer over the pipeline's entry points."""

from __future__ import annotations

import atexit
import datetime as dt
import gc
import os
import shlex
import sys
from pathlib import Path

import click

from . import __version__, scaffold
from .check import lookup, report_out, select
from .check import validate as check_findings
from .core.fields import FIRST_DAY, LAST_DAY
from .core.findings import failed
from .errors import PortfolioError
from .load.paths import write_text

FORMATS = {"text": report_out.as_text, "github": report_out.as_github, "json": report_out.as_json}
# The commands other than `validate` import their modules when they run, so `validate`
# (every pull request's check) starts without them.
DIFF_FORMATS = ["text", "markdown", "json"]


def _as_of(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date; use YYYY-MM-DD") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise click.BadParameter(
            f"{value} is out of range: use a date from {FIRST_DAY} to {LAST_DAY}"
        )
    return day


registry_option = click.option(
    "--registry",
    "registry",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("registry"),
    show_default=True,
    help="Registry folder.",
)
as_of_option = click.option(
    "--as-of",
    callback=_as_of,
    metavar="DATE",
    help="Judge time-based rules as of DATE (default today).",
)
strict_option = click.option("--strict", is_flag=True, help="Fail on warnings too.")


# `ctx.obj` of a command the console script runs (`run`): the process ends with it.
OWN_PROCESS = "the portfolio command"


def run() -> None:
    """Run the `portfolio` console script: the command is its process's last work."""
    main(obj=OWN_PROCESS)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="portfolio")
def main() -> None:
    """Keep a registry of AI initiatives honest: validate it and publish it as a site."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(sorted(FORMATS)), default="text", show_default=True
)
@as_of_option
@strict_option
@registry_option
def validate(
    paths: tuple[Path, ...], fmt: str, as_of: dt.date | None, strict: bool, registry: Path
) -> None:
    """Check every record; report findings as file:line:col: CODE message."""
    if click.get_current_context().obj is OWN_PROCESS:
        # The report is the process's last work, and what it allocates forms no cycles
        # (see load_registry): the collector would only scan it, once when checking ends
        # and once at exit (10,000 records: 0.1 s each).
        gc.disable()
        atexit.register(gc.freeze)
    try:
        report = check_findings(registry, as_of)
        shown = select(report, paths)
    except PortfolioError as err:
        raise click.UsageError(str(err)) from None
    click.echo(FORMATS[fmt](report, shown, strict), nl=False)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if fmt == "github" and summary_file:
        with Path(summary_file).open("a", encoding="utf-8") as handle:
            handle.write(report_out.markdown_summary(report, shown, strict))
    sys.exit(1 if failed(shown, strict) else 0)


@main.command()
@click.argument("project_id", metavar="ID")
@click.option("--title", help="Title (default: from the id).")
@click.option("--team", default="Unassigned", show_default=True)
@click.option("--owner", help="Owner's name (default: git user.name).")
@registry_option
def new(project_id: str, title: str | None, team: str, owner: str | None, registry: Path) -> None:
    """Write a commented starter record for a new initiative at discovery."""
    try:
        path = scaffold.write_starter(registry, project_id, title=title, team=team, owner=owner)
    except PortfolioError as err:
        raise click.UsageError(str(err)) from None
    click.echo(f"wrote {path}; edit it, then run: portfolio validate {path}")


@main.command()
@click.option("--check", is_flag=True, help="Exit 1 if the committed schema is stale.")
@registry_option
def schema(check: bool, registry: Path) -> None:
    """Regenerate registry/record.schema.json from the record model."""
    path = registry / scaffold.SCHEMA_FILE
    text = scaffold.schema_text()
    try:
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if check:
            if current != text:
                click.echo(f"{path} is stale; run: portfolio schema", err=True)
                sys.exit(1)
            click.echo(f"{path} is up to date")
            return
        write_text(path, text, registry)
    except (OSError, UnicodeDecodeError) as err:
        raise click.ClickException(f"{path}: {err}") from None
    except PortfolioError as err:
        raise click.UsageError(str(err)) from None
    click.echo(f"wrote {path}")


@main.command()
@as_of_option
@strict_option
@click.option(
    "--config-file", "-f", type=click.Path(dir_okay=False, path_type=Path),
    default=Path("mkdocs.yml"), show_default=True, help="MkDocs configuration.",
)  # fmt: skip
@click.option(
    "--engine", type=click.Choice(["mkdocs", "properdocs", "zensical"]), default="mkdocs",
    show_default=True, help="Static site engine (README: Site engines).",
)  # fmt: skip
def build(as_of: dt.date | None, strict: bool, config_file: Path, engine: str) -> None:
    """Validate, then build the whole site into site/ (exit 1 if there were errors)."""
    try:
        from .publish import engines

        built = engines.build(engine, config_file, as_of, strict=strict)
    except PortfolioError as err:
        raise click.ClickException(str(err)) from None
    report = built.report
    click.echo(report_out.as_text(report, report.findings, strict), nl=False)
    site = _shown_path(built.site_dir)
    click.echo(
        f"site: {built.pages} pages in {site}/; preview: python3 -m http.server -d {site} "
        "(http://127.0.0.1:8000/) or portfolio serve"
    )
    sys.exit(1 if failed(report.findings, strict) else 0)


def _shown_path(path: Path) -> str:
    """Return a path relative to the working folder when it is inside it, quoted for a shell."""
    try:
        shown = path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        shown = str(path)
    return shlex.quote(report_out.terminal(shown or "."))


@main.command()
@as_of_option
@click.option(
    "--config-file", "-f", type=click.Path(dir_okay=False, path_type=Path),
    default=Path("mkdocs.yml"), show_default=True, help="MkDocs configuration.",
)  # fmt: skip
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True)
def serve(as_of: dt.date | None, config_file: Path, dev_addr: str) -> None:
    """Serve the site locally, rebuilding when a record changes."""
    try:
        from .publish import mkdocs_run as publish

        click.echo(f"serving the site at http://{dev_addr}/ (Ctrl+C stops)")
        publish.serve(config_file, as_of, dev_addr)
    except PortfolioError as err:
        raise click.ClickException(str(err)) from None


@main.command("diff")
@click.argument("base", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(DIFF_FORMATS),  # diff.render.FORMATS' names (a test checks)
    default="text",
    show_default=True,
)
@as_of_option
@registry_option
def diff_command(base: str | None, fmt: str, as_of: dt.date | None, registry: Path) -> None:
    """Show what the work tree changes against BASE (a git revision) and the findings it adds.

    BASE defaults to the merge base of HEAD with the default branch (origin/HEAD,
    else main, else master). Removing or renaming a record is R016. Exit 1 if the
    change introduces errors or leaves errors in a record it adds or edits; errors in
    records it does not touch (an expired waiver, say) are reported, not failed on.
    """
    from .diff import compare
    from .diff import render as diff_render

    try:
        change = compare(registry, base, as_of)
    except PortfolioError as err:
        raise click.UsageError(str(err)) from None
    text = diff_render.FORMATS[fmt](change)
    click.echo(text, nl=False)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if fmt == "markdown" and summary_file:
        with Path(summary_file).open("a", encoding="utf-8") as handle:
            handle.write(text)
    sys.exit(1 if change.failed else 0)


@main.command()
@click.argument("text")
@click.option("--limit", type=click.IntRange(1, 1000), default=lookup.LIMIT, show_default=True)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@registry_option
def similar(text: str, limit: int, fmt: str, registry: Path) -> None:
    """Print the initiatives closest to TEXT, a one-sentence problem; dead ones loudly."""
    try:
        found = lookup.find_similar(registry, text, limit)
    except PortfolioError as err:
        raise click.UsageError(str(err)) from None
    click.echo((lookup.as_json if fmt == "json" else lookup.as_text)(found), nl=False)


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--mapping", "mapping_file", required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Which columns make which record field (README, Adopting the registry).",
)  # fmt: skip
@click.option("--update", is_flag=True, help="Overwrite records whose row changed.")
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@registry_option
def import_command(
    file: Path, mapping_file: Path, update: bool, dry_run: bool, fmt: str, registry: Path
) -> None:
    """Write one record per row of a CSV or XLSX inventory (exit 1 if a row is reported)."""
    from . import ingest
    from .ingest import report as import_report
    from .ingest.mapping import load_mapping

    try:
        result = ingest.import_sheet(
            file, load_mapping(mapping_file), registry, update=update, dry_run=dry_run,
            progress=import_report.progress_bar if sys.stderr.isatty() else None,
        )  # fmt: skip
    except PortfolioError as err:
        raise click.UsageError(str(err)) from None
    click.echo(
        (import_report.as_json if fmt == "json" else import_report.as_text)(result), nl=False
    )
    sys.exit(1 if result.reported else 0)
