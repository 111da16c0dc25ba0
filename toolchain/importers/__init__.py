"""Importing: documents written elsewhere (Word .docx) → gbstd MyST sources."""
