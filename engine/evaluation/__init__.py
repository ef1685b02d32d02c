"""Evaluation: rules matched against facts, by durable-rules (the adapter) and by the oracle."""
