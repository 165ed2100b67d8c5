"""The MkDocs adapter: the plugin that adds the generated files, and build/serve runners.

Entry points: `mkdocs_run.build(config_file, as_of)` and `mkdocs_run.serve(...)`.
"""
