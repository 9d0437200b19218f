"""gongfu (共富): turn a common-prosperity action plan into a living, measured system."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # `__version__` is looked up on first use: importlib.metadata costs every command's start-up otherwise
    if name != "__version__":
        raise AttributeError(f"module 'gongfu' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("gongfu")  # the one place: pyproject.toml's [project] version
    except PackageNotFoundError:  # running from a source tree that was never installed
        value = "0+unknown"
    globals()["__version__"] = value
    return value
