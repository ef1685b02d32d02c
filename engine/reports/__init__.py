"""Reports: the run's data model, text helpers, the writer, and one module per format."""
