"""Text normalisation with a map back to the original characters."""

from gongfu.text.normalise import NormalisedText, normalise, to_simplified

__all__ = ["NormalisedText", "normalise", "to_simplified"]
