"""gbstd toolchain: write, check and publish Chinese evaluation standards (GB/T 1.1).

The core is Sphinx-free: ``reader`` and ``builder`` produce the document model
(``model``), the ``rules`` check it, and the writers publish it.
"""
__version__ = "0.1.0"
