"""gongfu (共富): turn a common-prosperity action plan into a living, measured system."""

__version__ = "0.1.0"
