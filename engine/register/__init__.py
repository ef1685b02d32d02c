"""The requirements register: its data (the YAML files here) and its loader (load.py)."""
