"""Routing, deadline and warning rules kept as data (CSV and TOML), overridable per deployment."""
