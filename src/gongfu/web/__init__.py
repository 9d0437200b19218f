"""The web front: a REST API and a Chinese-language dashboard over the same service functions."""
