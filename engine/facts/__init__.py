"""Facts: a validated document as flat typed facts, with the derived values its rules declare."""
