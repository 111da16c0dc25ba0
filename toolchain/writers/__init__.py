"""Writing: the Document model → HTML pieces, LaTeX, docutils nodes for every builder."""
