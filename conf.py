# Sphinx configuration of the standards site: the extension gbstd.sphinx supplies the rest
# (MyST, page layout, LaTeX engine, fonts, GB layout; see docs/architecture.md). A project
# needs no conf.py at all — `gbstd build` takes title and language from gbstd.toml; this
# one is kept so that `sphinx-build -c . standards build/html` works as well.
project = "标准文件库"
author = "gbstd"
language = "zh_CN"
extensions = ["gbstd.sphinx"]
