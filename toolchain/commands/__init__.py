"""Subcommands of ``gbstd``: each module here has ``register(subparsers)``."""
