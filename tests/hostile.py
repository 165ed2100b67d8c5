"""Record text that Markdown, HTML, Jinja, MkDocs snippets or Material could interpret."""

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "{{ config }}",
    '--8<-- "/etc/passwd"',
    '!!! note "hi"',
    "| a | b |",
    "**bold**",
    "`code`",
    ":material-alert:",
    "&amp;",
]
