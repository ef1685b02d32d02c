"""Schema and validation: the fact model read from the filing schema, the schema check, consistency checks."""
