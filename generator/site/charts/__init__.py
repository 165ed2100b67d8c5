"""Charts: which chart shows what (`select`), what it says (`spec`), how it is drawn (`draw`)."""
