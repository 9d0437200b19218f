"""gongfu (共富): turn a common-prosperity action plan into a living, measured system."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("gongfu")  # the one place: pyproject.toml's [project] version
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
