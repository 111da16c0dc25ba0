# Sphinx configuration of the standards site. Sources are in standards/;
# build with `gbstd build` (or: sphinx-build -c . standards build/html).
project = "标准文件库"
author = "gbstd"
language = "zh_CN"
extensions = ["myst_parser", "sphinx_ext"]
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
