"""Finding nodes in a docutils doctree quickly.

``Node.findall`` nests one generator per tree level for every node it passes, and a
condition that is not a single class takes its slowest path (a call with keyword
arguments per node). The readers walk big doctrees (a 20,000-clause source has about
100,000 nodes) several times, so they use this walk instead.
"""
from __future__ import annotations

from docutils import nodes


def find(root: nodes.Node, kinds: type | tuple[type, ...]) -> list:
    """The nodes of ``root``'s tree (``root`` included) that are instances of ``kinds``, in
    document order: ``list(root.findall(kinds))`` for a class, or for a tuple of classes."""
    found = []
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, kinds):
            found.append(node)
        if node.children:
            stack += reversed(node.children)
    return found
