# Sphinx configuration of the standards site. Sources are in standards/;
# build with `gbstd build` (or: sphinx-build -c . standards build/html).
project = "标准文件库"
author = "gbstd"
language = "zh_CN"
extensions = ["myst_parser", "gbstd.sphinx"]
myst_enable_extensions = ["colon_fence"]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["**/comments/**", "**/ballots/**"]
templates_path = ["templates/html"]
html_theme = "basic"
html_static_path: list[str] = []
html_title = "标准文件库"
html_show_sourcelink = False
html_show_sphinx = False
html_copy_source = False
html_last_updated_fmt = None
html_use_index = False          # the corpus has no index entries: no empty genindex page

# ---- PDF: Sphinx's LaTeX builder, xelatex through latexmk (gbstd build; see docs/pdf.md).
# latex_documents is filled in by gbstd.sphinx.latex: one PDF per standard and per note.
from gbstd.writers.latex import sphinx_latex_elements  # noqa: E402

latex_engine = "xelatex"
latex_elements = sphinx_latex_elements()
latex_table_style: list[str] = []   # full grid, as GB tables are printed
latex_show_urls = "no"
latex_show_pagerefs = False
latex_domain_indices = False
