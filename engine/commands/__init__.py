"""The commands under the thin cli: configuration, rule tools, generated docs."""
