"""The rule catalogue: each rule is a small function over the document model.

A rule module registers its rules with the ``rule`` decorator::

    @rule("NREF-006", "error", "规范性引用文件与正文引用双向一致", clause="8.6.3.1")
    def listed_and_cited(doc, ctx):
        yield Report(line, "message", "hint")

A rule yields ``Report`` objects; the runner (``gbstd.check``) turns them
into located findings, applies suppressions and sorts them.

Every rule declares its **scope**: what its findings depend on besides the toolchain.
``gbstd check`` caches findings per document on this declaration (``gbstd.findingscache``),
so a wrong or missing scope would give stale findings; ``tests/test_rule_scopes.py`` fails
for a rule without one and compares cached with uncached findings.

- ``DOCUMENT``: only the document's own model (its file's bytes, path and folder listing).
  Such a rule gets an empty ``Context``.
- ``CORPUS``: the document's model and the models of other documents of the corpus, named
  by ``refers(summary, index)``: the slugs whose documents the rule reads through
  ``ctx.standard`` (``summary`` is the document's ``DocumentSummary``, ``index`` every
  document's summary by slug). The cache keys its findings on the content of those
  documents; the rule is given a ``Context`` holding only them.
- ``FILES``: the document's model and files that are not documents (comment records,
  ballots), named by ``files(path)`` for the document's path: the cache keys the findings
  on their content (a folder: its listing); ``None`` means they cannot be named (a git
  revision), and the rule runs on every check.
"""
from __future__ import annotations

import functools
import importlib
import pkgutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..model import Document, DocumentSummary


@dataclass(frozen=True)
class Report:
    line: int
    message: str
    hint: str = ""
    severity: str = ""        # overrides the rule's default (e.g. 宜 constraints → warning)
    path: str = ""            # another file of the corpus (cross-document rules)


DOCUMENT = "document"
CORPUS = "corpus"
FILES = "files"
SCOPES = (DOCUMENT, CORPUS, FILES)


@dataclass
class Context:
    """What a rule may look at besides its own document: ``corpus`` the documents it may read
    (slug -> documents), ``index`` a summary of every document of the corpus."""
    corpus: dict[str, list[Document]] = field(default_factory=dict)
    index: dict[str, list[DocumentSummary]] = field(default_factory=dict)

    def standard(self, slug: str) -> Document | None:
        return next((d for d in self.corpus.get(slug, []) if not d.is_notes), None)


def standard_summary(index: dict[str, list[DocumentSummary]], slug: str) -> DocumentSummary | None:
    """The summary of the standard (not the notes) of ``slug``, as ``Context.standard`` finds it."""
    return next((s for s in index.get(slug, []) if s.kind != "notes"), None)


RuleFunc = Callable[[Document, Context], Iterable[Report]]
Refers = Callable[[DocumentSummary, dict[str, list[DocumentSummary]]], Iterable[str]]
Files = Callable[[str], "list[Path] | None"]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    statement: str
    clause: str               # where the rule comes from (GB/T 1.1-2020 clause or other source)
    applies: tuple[str, ...]  # GB/T 1.1 profiles: "2020", "2009"
    kinds: tuple[str, ...]    # document kinds: "standard", "notes"
    func: RuleFunc
    scope: str = ""           # DOCUMENT, CORPUS or FILES (module docstring); "" = not declared
    refers: Refers | None = None     # CORPUS: the slugs of the documents it reads
    files: Files | None = None       # FILES: the files it reads


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: str, statement: str, clause: str = "",
         applies: tuple[str, ...] = ("2020", "2009"), kinds: tuple[str, ...] = ("standard",), *,
         scope: str = "", refers: Refers | None = None, files: Files | None = None):
    if scope and scope not in SCOPES:
        raise ValueError(f"rule {rule_id}: unknown scope {scope!r}")
    if (scope == CORPUS) != (refers is not None) or (scope == FILES) != (files is not None):
        raise ValueError(f"rule {rule_id}: scope {scope!r} takes refers= (corpus) or files= (files)")

    def register(func: RuleFunc) -> RuleFunc:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} registered twice")
        RULES[rule_id] = Rule(rule_id, severity, statement, clause, applies, kinds, func, scope, refers, files)
        return func
    return register


def undeclared() -> list[str]:
    """Rules without a declared scope: their findings cannot be cached (a test fails for them)."""
    return [r.id for r in load_all().values() if r.scope not in SCOPES]


@functools.cache
def load_all() -> dict[str, Rule]:
    """Import every rule module of this package (they register on import); once per process."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return RULES


def applicable(doc: Document) -> Iterator[Rule]:
    for candidate in load_all().values():
        if doc.meta.kind in candidate.kinds and doc.meta.profile in candidate.applies:
            yield candidate


# Findings that come from reading a source or from the runner, not from a rule
# function; listed so that `gbstd rules` and SARIF can describe every id a user sees.
SOURCE_CHECKS: dict[str, tuple[str, str]] = {
    "FILE-001": ("error", "源文件应为 UTF-8 编码"),
    "FILE-002": ("error", "源文件可以读取"),
    "FILE-003": ("error", "输出文件可以写入"),
    "FILE-004": ("error", "文中的图片文件存在"),
    "META-001": ("error", "文件以 YAML 前置元数据开头，并以 --- 结束"),
    "META-002": ("error", "前置元数据是“键: 值”的映射"),
    "META-003": ("error", "前置元数据只用已定义的键"),
    "META-004": ("error", "前置元数据的值类型正确（文本、文本列表、映射）"),
    "META-005": ("error", "每条抑制都写明规则编号和理由"),
    "META-006": ("error", "元数据取值合规（kind、family、stage、起草规则、日期格式）"),
    "META-007": ("error", "编制说明以 explains 声明所说明的标准"),
    "YAML-001": ("error", "YAML 语法正确"),
    "YAML-002": ("error", "指令体中的每一项是“键: 值”的映射"),
    "YAML-003": ("error", "指令体只用已定义的键"),
    "YAML-004": ("error", "指令体的值类型正确"),
    "YAML-005": ("error", "指令体的必填项齐全（如指标的 name、公式的 latex）"),
    "YAML-006": ("error", "指标 id 在表内唯一"),
    "HEAD-001": ("error", "文件有且只有一个一级标题（文件名称）"),
    "HEAD-002": ("error", "章条标题带可识别的编号"),
    "MYST-001": ("error", "MyST 语法正确（指令名、围栏、缩进）"),
    "MATH-001": ("error", "公式和数学式的 LaTeX 可以解析，只用允许的数学命令"),
    "SAFE-001": ("error", "标准文件中没有原始 HTML 或 LaTeX（Markdown 中的 HTML 标记、raw 指令）"),
    "SAFE-002": ("error", "标准文件不读入其他文件（include、literalinclude、csv-table :file:、项目外的图片）"),
    "LIMIT-001": ("error", "输入不超过处理上限（YAML 别名展开、嵌套深度、数字位数、单元格长度等）"),
    "GAP-001": ("info", "列出声明为缺失的元数据和内容"),
    "GBSTD-UNUSED-SUPPRESSION": ("warning", "每条抑制都确实抑制了检查结果"),
}

# Findings of the other commands (scoring schemas and scores, review records, diff):
# id -> (severity, statement, the command that reports it). With RULES and
# SOURCE_CHECKS this is the one list of every finding id the code can emit
# (tests/test_rules_catalogue.py greps the code for ids missing from it).
COMMAND_CHECKS: dict[str, tuple[str, str, str]] = {
    "SCORE-000": ("error", "生成的评分模式符合已发布的 JSON Schema（否则是生成器的缺陷）", "gbstd schema / build"),
    "SCORE-001": ("error", "同一计算量只由一个公式给出", "gbstd schema / build"),
    "SCORE-003": ("error", "给出 bands 的指标写明 metric，且 metric 指向有式中符号的公式", "gbstd schema / build"),
    "SCORE-010": ("error", "评分模式中的 id 唯一（指标、输入量、计算量、等级、变体、评分档）", "gbstd schema / build"),
    "SCORE-011": ("error", "下级指标分值之和等于上级分值，一级指标之和等于总分", "gbstd schema / build"),
    "SCORE-013": ("error", "评分模式中的引用都能解析（metric、表达式符号、变体排除项、框架约束）", "gbstd schema / build"),
    "SCORE-014": ("error", "公式之间没有循环引用", "gbstd schema / build"),
    "SCORE-015": ("error", "各等级的最低分互不相同", "gbstd schema / build"),
    "SCORE-016": ("error", "派生标准满足母标准框架的分值占比下限（宜：警告）", "gbstd schema / build"),
    "SCORE-020": ("error", "评估输入是合法的 JSON/YAML，批量输入没有空行", "gbstd score"),
    "SCORE-021": ("error", "评估输入符合评估输入模式，并与所用评分模式相符", "gbstd score"),
    "SCORE-022": ("error", "每个评分项和否决项都能评分", "gbstd score"),
    "SCORE-023": ("error", "评价报告 PDF 可以排版", "gbstd score --pdf"),
    "REVIEW-001": ("error", "意见处理记录和函审记录以规定的表头键开始", "gbstd comments / ballot"),
    "REVIEW-002": ("error", "一轮意见中的意见编号唯一", "gbstd comments"),
    "REVIEW-003": ("error", "导入的意见表每一行都能读取", "gbstd comments import"),
    "REVIEW-004": ("error", "意见文字可以写入 XLSX（不含控制字符）", "gbstd comments export"),
    "REVIEW-005": ("error", "导入的意见表是 .xlsx 或 .csv，有表头行和“提出单位”列", "gbstd comments import"),
    "REVIEW-006": ("error", "审查表格 PDF 可以排版", "gbstd comments / ballot --pdf"),
    "DIFF-001": ("error", "比较的修订版本可以从 git 读取", "gbstd diff"),
    "DOCX-001": ("error", "Word 文件可以写出（源文件可读，公式可由 pandoc 转换）", "gbstd export docx / build --docx"),
    "IMPORT-001": ("error", "导入的文件是完好的 .docx（ZIP 包中有可读的 Word 正文）", "gbstd import"),
    "IMPORT-002": ("error", "导入的文件不是旧版二进制 .doc，也没有打开密码", "gbstd import"),
    "IMPORT-003": ("warning", "Word 文件中的内容都能对应到源文件结构（不能对应的原样保留并提示核对）", "gbstd import"),
    "IMPORT-004": ("warning", "Word 文件中能找到文件名称（编制说明：所说明的标准）", "gbstd import"),
    "IMPORT-005": ("warning", "公式是可转换为 LaTeX 的 Word 公式（OMML）", "gbstd import"),
    "IMPORT-006": ("warning", "Word 文件中的章条编号前后接续", "gbstd import"),
    "IMPORT-007": ("info", "表格有表题和表号，单元格合并可以在 list-table 中表示", "gbstd import"),
}


def known_ids() -> dict[str, tuple[str, str]]:
    """Every finding id the toolchain can emit -> (severity, statement)."""
    known = {r.id: (r.severity, r.statement) for r in load_all().values()}
    known.update(SOURCE_CHECKS)
    known.update({rule_id: (severity, statement) for rule_id, (severity, statement, _) in COMMAND_CHECKS.items()})
    return known


def statement_of(rule_id: str) -> str:
    """The one-line statement of a rule or source check, for reports."""
    return known_ids().get(rule_id, ("", rule_id))[1]
