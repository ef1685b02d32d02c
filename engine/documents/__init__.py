"""Reading a filing document itself (EDGAR HTML, Inline XBRL, Word) into the document model (model.py)."""
