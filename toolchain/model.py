"""The document model: typed, Sphinx-free description of a standard or a note.

Built from a docutils doctree by ``gbstd.source.builder``; read by the rules, the
schema writer, the renderers and the review tools. Every element keeps the
source line it came from so that findings can point at it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

# Points and thresholds are compared with this absolute tolerance: enough for binary
# floating-point noise (0.1 + 0.2), far below any real difference (20 vs 10 + 9).
POINTS_TOLERANCE = 1e-6


def points_differ(a: float, b: float) -> bool:
    return abs(a - b) > POINTS_TOLERANCE


# ---------------------------------------------------------------- metadata


@dataclass
class Suppression:
    rule: str
    reason: str
    line: int                  # where the suppression is written
    match: str = ""            # only findings whose message contains this
    scope: str = "document"    # "document" or "block"
    first_line: int = 0        # block scope: the lines it covers
    last_line: int = 0

    def covers(self, rule: str, line: int, message: str) -> bool:
        if self.rule != rule:
            return False
        if self.match and self.match not in message:
            return False
        return self.scope == "document" or self.first_line <= line <= self.last_line


@dataclass
class Metadata:
    kind: str = "standard"               # standard | notes
    designation: str = ""
    family: str = ""                     # national | industry | local | group
    title: str = ""
    title_en: str = ""
    stage: str = ""                      # 征求意见稿 | 送审稿 | 报批稿 | 发布稿
    ics: str = ""
    ccs: str = ""
    issued: str = ""                     # as written: YYYY-MM-DD or XXXX-XX-XX
    implemented: str = ""
    issuer: list[str] = field(default_factory=list)
    proposer: str = ""
    owner: str = ""
    drafting_units: list[str] = field(default_factory=list)
    drafters: list[str] = field(default_factory=list)
    drafting_rules: str = "GB/T 1.1—2020"
    replaces: list[str] = field(default_factory=list)
    parent: str = ""
    explains: str = ""
    provenance: str = ""
    drafting_group: str = ""
    date: str = ""
    gaps: dict[str, str] = field(default_factory=dict)
    suppress: list[Suppression] = field(default_factory=list)
    percent_space: bool | None = None    # a space before %: required (True), refused (False), either (None)
    lines: dict[str, int] = field(default_factory=dict)  # key -> front matter line
    problems: list = field(default_factory=list)          # Findings about the front matter

    @property
    def annex_labels(self) -> tuple[str, str]:
        """The normative and informative annex labels of the profile: （规范性） or （规范性附录）…"""
        return ("（规范性）", "（资料性）") if self.profile == "2020" else ("（规范性附录）", "（资料性附录）")

    @property
    def profile(self) -> str:
        """The GB/T 1.1 edition the document follows: "2020" or "2009"."""
        return "2009" if "2009" in self.drafting_rules else "2020"

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)


# ---------------------------------------------------------------- blocks


@dataclass
class Paragraph:
    text: str
    line: int
    kind: str = "text"        # text | note | example
    label: str = ""           # 注 / 注1 / 示例2 as written


@dataclass
class ListItem:
    marker: str               # "a)", "——", "1)", "·", "-", "1." as written
    text: str
    line: int
    level: int = 1
    children: list["ListItem"] = field(default_factory=list)


@dataclass
class ListBlock:
    items: list[ListItem]
    line: int
    source: str = "gb"        # gb: marker lines; markdown: a Markdown list


@dataclass
class Table:
    """A plain table (not an indicator table)."""
    number: str
    caption: str
    line: int
    rows: list[list[str]] = field(default_factory=list)
    has_header: bool = True


@dataclass
class Figure:
    """A figure: a ``{figure}`` directive (caption 图1 标题, legend with 注) or an image whose
    alternative text is its caption (``![图1 标题](path)``)."""
    number: str
    caption: str
    line: int
    notes: list[Paragraph] = field(default_factory=list)
    legend: list[Paragraph] = field(default_factory=list)   # the key (标引序号说明) and other text


@dataclass
class Gap:
    text: str
    line: int
    inline: bool = False


@dataclass
class Grade:
    id: str
    label: str
    min: float
    note: str = ""
    line: int = 0


@dataclass
class Variant:
    id: str
    label: str = ""
    exclude: list[str] = field(default_factory=list)
    grades: list[Grade] = field(default_factory=list)
    normalization: str = ""
    line: int = 0


@dataclass
class Level:
    """One scoring level of an indicator: points for meeting a criterion."""
    points: float
    criterion: str = ""


@dataclass
class Band:
    points: float
    min: float | None = None
    max: float | None = None


@dataclass
class Indicator:
    id: str
    name: str
    line: int
    depth: int = 1                       # 1 = 一级指标
    no: str = ""
    points: float | None = None
    children: list["Indicator"] = field(default_factory=list)
    requirement: str = ""                # 必选 | 可选 | ""
    veto: bool = False
    clause: str = ""
    criteria: str = ""
    levels: list[Level] = field(default_factory=list)
    metric: str = ""
    bands: list[Band] = field(default_factory=list)
    gap: str = ""

    def walk(self) -> Iterator["Indicator"]:
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def is_leaf(self) -> bool:
        return not self.children


@dataclass
class IndicatorTable:
    number: str
    caption: str
    id: str
    line: int
    total: float = 100
    columns: list[str] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    grades: list[Grade] = field(default_factory=list)
    variants: list[Variant] = field(default_factory=list)
    normalization: str = "none"          # none | applicable
    total_line: int = 0

    def walk(self) -> Iterator[Indicator]:
        for indicator in self.indicators:
            yield from indicator.walk()

    def leaves(self) -> list[Indicator]:
        return [i for i in self.walk() if i.is_leaf]

    def find(self, key: str) -> Indicator | None:
        """An indicator by id, or by name when no id matches."""
        for indicator in self.walk():
            if indicator.id == key:
                return indicator
        for indicator in self.walk():
            if indicator.name == key:
                return indicator
        return None


@dataclass
class Symbol:
    symbol: str          # as printed (LaTeX)
    id: str              # identifier used in the machine expression
    meaning: str
    unit: str
    line: int


@dataclass
class Formula:
    number: str          # "1", "A.1"; "" for an unnumbered formula
    latex: str
    line: int
    expr: str = ""
    expr_line: int = 0   # the line of expr: in the directive body
    symbols: list[Symbol] = field(default_factory=list)
    restored: str = ""

    @property
    def result(self) -> Symbol | None:
        return self.symbols[0] if self.symbols else None

    @property
    def label(self) -> str:
        return f"（{self.number}）" if self.number else ""


@dataclass
class Term:
    number: str
    term: str
    line: int
    en: str = ""
    definition: str = ""
    definition_line: int = 0
    source: str = ""
    modified: bool = False
    symbol: str = ""
    source_line: int = 0
    source_written: str = ""   # a source written as a line, as written: “[来源：…]”, 2009 “[GB/T …，定义3.1]”
    notes: list[Paragraph] = field(default_factory=list)
    examples: list[Paragraph] = field(default_factory=list)
    extra: list[Paragraph] = field(default_factory=list)   # paragraphs after the definition
    tables: list[Table] = field(default_factory=list)      # tables inside the entry (not allowed)
    footnotes: list[int] = field(default_factory=list)     # lines of footnote references in the entry


@dataclass
class FrameworkIndicator:
    name: str
    verb: str = "应"
    veto: bool = False


@dataclass
class Framework:
    id: str
    line: int
    level1: list[FrameworkIndicator] = field(default_factory=list)
    constraints: list[dict] = field(default_factory=list)
    structure_verb: str = "宜"
    structure_chapters: list[str] = field(default_factory=list)
    structure_annexes: list[str] = field(default_factory=list)


@dataclass
class Footnote:
    """A footnote ``[^label]: text``; ``references`` are the lines that refer to it, ``in_table``
    whether it is referred to from a table (a table footnote, which may state requirements)."""
    label: str
    text: str
    line: int
    references: list[int] = field(default_factory=list)
    in_table: bool = False


@dataclass
class ValueRef:
    """A {std-value} role: a figure a note takes from its standard."""
    key: str
    line: int


Block = Paragraph | ListBlock | Table | Figure | Gap | IndicatorTable | Formula | Term | Framework

# ---------------------------------------------------------------- clauses

CLAUSE_KINDS = (
    "foreword", "introduction", "chapter", "clause", "annex", "annex-clause",
    "bibliography", "index", "section",  # section: unnumbered heading in notes
)


@dataclass
class Clause:
    kind: str
    title: str
    line: int
    heading_level: int            # Markdown level: ## = 2
    number: str = ""              # "5.1.1", "A.2"; "" for unnumbered
    heading: str = ""             # the whole heading text as written
    annex_letter: str = ""
    annex_role: str = ""          # 规范性 | 资料性
    annex_role_label: str = ""    # as written: （规范性） or （规范性附录）
    blocks: list[Block] = field(default_factory=list)
    children: list["Clause"] = field(default_factory=list)

    def walk(self) -> Iterator["Clause"]:
        """This clause and every clause below it, in document order."""
        return _walk([self])

    @property
    def depth(self) -> int:
        """1 for a chapter or an annex, 2 for 5.1 / A.1, …"""
        if self.kind == "annex":
            return 1
        return self.number.count(".") + 1 if self.number else 0

    @property
    def untitled(self) -> bool:
        """A numbered clause without a title (GB/T 1.1 无标题条): every writer prints its
        number run into the first line of its text ("4.3.1　最高管理者：…"), not as a
        heading, and leaves it out of the 目次 and the PDF bookmarks."""
        return self.kind in ("clause", "annex-clause") and bool(self.number) and not self.title

    @property
    def last_line(self) -> int:
        lines = [self.line] + [_block_line(b) for b in self.blocks]
        lines += [c.last_line for c in self.children]
        return max(lines)

    def text(self) -> str:
        return "\n".join(block_text(b) for b in self.blocks)


def _walk(clauses: list[Clause]) -> Iterator[Clause]:
    """``clauses`` and the clauses below them, in document order (a stack, not nested
    generators: rules walk the clause tree millions of times in a big corpus)."""
    stack = clauses[::-1]
    while stack:
        clause = stack.pop()
        yield clause
        if clause.children:
            stack += clause.children[::-1]


def _block_line(block: Block) -> int:
    if isinstance(block, ListBlock) and block.items:
        return max(item.line for item in block.items)
    return block.line


def block_text(block: Block) -> str:
    if isinstance(block, Paragraph):
        return block.text
    if isinstance(block, ListBlock):
        return "\n".join(f"{i.marker} {i.text}" for i in iter_items(block.items))
    if isinstance(block, Term):
        return block.definition
    return ""


def iter_items(items: list[ListItem]) -> Iterator[ListItem]:
    for item in items:
        yield item
        yield from iter_items(item.children)


# ---------------------------------------------------------------- references


@dataclass
class NormativeReference:
    designation: str      # normalised, without year: "GB/T 24001"
    raw: str              # the entry as written
    line: int
    year: str = ""
    title: str = ""
    all_parts: bool = False


@dataclass
class Citation:
    designation: str      # normalised, without year
    raw: str              # as written in the text
    line: int
    year: str = ""
    context: str = "body"  # body | foreword | introduction | note | example | term | reference-list | bibliography | formula | table
    normative: bool = False
    clause: str = ""
    sentence: str = ""


# ---------------------------------------------------------------- document


@dataclass
class Document:
    path: str
    slug: str
    meta: Metadata
    title: str = ""
    title_line: int = 1
    clauses: list[Clause] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    references: list[NormativeReference] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)
    value_refs: list[ValueRef] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    errors: list = field(default_factory=list)   # Findings raised while reading

    @property
    def docname(self) -> str:
        """Sphinx document name: "<slug>/standard" or "<slug>/notes"."""
        return f"{self.slug}/{'notes' if self.meta.kind == 'notes' else 'standard'}"

    @property
    def is_notes(self) -> bool:
        return self.meta.kind == "notes"

    def walk(self) -> Iterator[Clause]:
        return _walk(self.clauses)

    def clause(self, number: str) -> Clause | None:
        for clause in self.walk():
            if clause.number == number:
                return clause
        return None

    def find(self, kind: str) -> Clause | None:
        return next((c for c in self.clauses if c.kind == kind), None)

    @property
    def chapters(self) -> list[Clause]:
        return [c for c in self.clauses if c.kind == "chapter"]

    @property
    def annexes(self) -> list[Clause]:
        return [c for c in self.clauses if c.kind == "annex"]

    def blocks(self) -> Iterator[tuple[Clause, Block]]:
        for clause in self.walk():
            for block in clause.blocks:
                yield clause, block

    def _of_type(self, cls) -> list:
        return [b for _, b in self.blocks() if isinstance(b, cls)]

    @property
    def terms(self) -> list[Term]:
        return self._of_type(Term)

    @property
    def indicator_tables(self) -> list[IndicatorTable]:
        return self._of_type(IndicatorTable)

    @property
    def formulas(self) -> list[Formula]:
        return self._of_type(Formula)

    @property
    def frameworks(self) -> list[Framework]:
        return self._of_type(Framework)

    @property
    def gaps(self) -> list[Gap]:
        return self._of_type(Gap)

    @property
    def tables(self) -> list[Table]:
        return self._of_type(Table)

    @property
    def figures(self) -> list[Figure]:
        return self._of_type(Figure)

    def paragraphs(self, kinds: tuple[str, ...] = ("text",)) -> Iterator[tuple[Clause, Paragraph]]:
        for clause, block in self.blocks():
            if isinstance(block, Paragraph) and block.kind in kinds:
                yield clause, block

    def table(self, key: str) -> IndicatorTable | None:
        return next((t for t in self.indicator_tables if key in (t.id, t.number)), None)


@dataclass(frozen=True)
class DocumentSummary:
    """What other documents' rules may ask of a document without its model: which document it
    is and the names it can be found by (``gbstd.rules.Context.index``; kept in the findings
    cache, so that cross-document rules find their documents without reading every model)."""
    path: str
    slug: str
    kind: str
    title: str = ""            # the level-1 heading
    meta_title: str = ""
    designation: str = ""
    parent: str = ""
    explains: str = ""

    @classmethod
    def of(cls, doc: Document) -> "DocumentSummary":
        return cls(doc.path, doc.slug, doc.meta.kind, doc.title, doc.meta.title, doc.meta.designation,
                   doc.meta.parent, doc.meta.explains)
