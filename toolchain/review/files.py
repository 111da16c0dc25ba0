"""Record files (comment rounds, ballots): reading one, its head mapping and its list."""
from __future__ import annotations

from ..source import yamlsafe
from ..findings import SourceError
from ..files import read_text


def open_record(path: str, what: str, head: str, listing: str, head_keys: tuple[str, ...],
                example: str) -> tuple[yamlsafe.Fields, yamlsafe.Fields]:
    """The top mapping of a record file (keys ``head`` and ``listing``) and its ``head`` mapping."""
    data = yamlsafe.load(read_text(path), path, 1, what)
    top = yamlsafe.Fields(data or {}, path, 1, what, (head, listing))
    if head not in top.data:
        raise SourceError(path, 1, "REVIEW-001", f"{what}缺少 {head}:", f"在文件开头写 {head}: {example}")
    return top, yamlsafe.Fields(top.data[head], path, top.line_of(head), head, head_keys)
