"""Package data of gbstd: Jinja2 templates, static files and LaTeX pieces (no code).

Installed as ``gbstd.templates`` so that ``importlib.resources`` finds it in a wheel and in
an editable install alike.
"""
