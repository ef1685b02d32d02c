"""Reading sources: bytes to values with positions (YAML and strict JSON), and command-line paths."""
