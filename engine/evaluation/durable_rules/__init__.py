"""Everything specific to durable-rules: compiling rules to its rulesets, running them, its limits."""
