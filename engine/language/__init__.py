"""The rule language: conditions, patterns, templates, derived values, and rule files parsed into rules."""
