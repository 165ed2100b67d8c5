"""Portfolio registry: load, check, analyse and publish a registry of AI initiatives."""

__version__ = "0.1.0"
