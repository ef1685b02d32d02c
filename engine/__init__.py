"""precomment: predicts the SEC staff's likely comments on a draft Form 20-F before it is filed.

One subpackage per pipeline stage, each importing only its own stage and earlier ones: sources (reading
files) -> validation -> language (the rules) -> facts -> evaluation -> checking -> reports -> commands,
with `errors` and `resources` beneath them all. `cli` only wires them together.
"""
__version__ = "0.1.0"
