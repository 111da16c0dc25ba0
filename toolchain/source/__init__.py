"""Reading: MyST source text → docutils doctree → the Document model (no Sphinx import)."""
