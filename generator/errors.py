"""Exceptions the library raises; the CLI and the MkDocs plugin translate them."""


class PortfolioError(Exception):
    """Base class of every error the library raises on purpose."""


class RegistryNotFound(PortfolioError):
    """The registry folder does not exist or has no projects folder."""


class UsageError(PortfolioError):
    """The caller asked for something impossible (bad path, bad option value)."""


class GitError(UsageError):
    """Git is missing, the folder is not in a repository, or a revision is unknown."""


class GitUnavailable(GitError):
    """Git is not installed or did not answer in time."""
