"""precomment: predicts the SEC staff's likely comments on a draft Form 20-F before it is filed.

Pipeline, one module per stage: load -> validate -> facts -> compile -> evaluate -> findings -> report.
`cli` only wires them together.
"""
__version__ = "0.1.0"
