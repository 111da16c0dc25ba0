"""Word tables → an ``indicator-table`` (YAML body) or a ``list-table``.

A table is an indicator table when its header names indicator levels and points
(一级指标/二级指标/三级指标 … 分值/权重 …). Its rows are read back into the
indicator tree: merged (row-spanned) level cells group their leaves, a group's
points are read from “（合计 20 分）” / “（5 分）” after its name or from a
merged points cell, and the 合计 row gives the total. The reverse of
``gbstd.writers.doctree_writer.table_rows``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Indicator, IndicatorTable
from ..writers.doctree_writer import DEFAULT_HEADERS, table_columns
from .ooxml import Cell, Grid

LEVEL_NAMES = {"一级指标": 1, "二级指标": 2, "三级指标": 3}
GENERIC_LEVEL = re.compile(r"^(评价)?(指标|项目|评价项目|评价内容|指标名称|考核项目)$")
POINTS = re.compile(r"分值|分数|权重|满分|标准分|赋分")
NUMBER = re.compile(r"^(序号|编号|指标编号|序)$")
REQUIREMENT = re.compile(r"必选|可选|要求类型|指标类型|指标属性|^类型$|^属性$")
CRITERIA = re.compile(r"评分|评价要求|评价标准|评价内容|指标要求|要求|判定|说明|依据|方法|细则|标准")
TOTAL_ROW = re.compile(r"^(合\s*计|总\s*计|总\s*分|合计得分)$")
GROUP_POINTS = re.compile(r"^(?P<name>.*?)\s*[（(](?:合计|小计)?\s*(?P<points>\d+(?:\.\d+)?)\s*分[)）]$")
LEVEL_SUFFIX = re.compile(r"^(?P<criterion>.*)（(?P<points>\d+(?:\.\d+)?) 分）$")
BANDS = re.compile(r"^(?:按公式（(?P<metric>[^）]+)）计算的结果|计算结果)：(?P<steps>.*)（依次判定，取首个符合的档）$")
BAND_STEP = re.compile(r"^(?:(?P<cond>.+?) )?得 (?P<points>\d+(?:\.\d+)?) 分$|^其他得 (?P<other>\d+(?:\.\d+)?) 分$")
GAP = re.compile(r"^(?P<rest>.*?)；?〔(?P<gap>[^〔〕]*)〕$")
EMPTY = ("", "—", "-", "/", "／", "——")
GRADES_LINE = re.compile(r"^评价等级：(?P<grades>.+?)。?$")
GRADE = re.compile(r"^(?P<label>[^，,]+)[，,]\s*综合评价得分\s*(?:≥|不低于|>=)\s*(?P<min>\d+(?:\.\d+)?)\s*分$")
GRADE_NOTE = re.compile(r"^(?P<label>[^，,]{1,12})[，,]\s*(?P<note>.+)$")
NORMALIZATION_LINE = "综合评价得分按参评项得分占参评项总分的比例折算为百分制。"
NO_POINTS = "Word 文件中未给出分值"
NUMERIC = re.compile(r"^\d+(?:\.\d+)?$")


@dataclass
class Parsed:
    table: IndicatorTable
    data: dict                      # the YAML body
    problems: list[str] = field(default_factory=list)


def header_roles(grid: Grid) -> tuple[int, list[str], list[str]] | None:
    """(header rows, role per column, header text per column) when the grid is an indicator table."""
    if not grid.rows or not grid.rows[0]:
        return None
    width = len(grid.rows[0])
    for rows in (1, 2):
        if len(grid.rows) <= rows:
            break
        texts = []
        for col in range(width):
            parts = []
            for r in range(rows):
                cell = owner(grid, r, col)
                text = re.sub(r"\s+", "", cell.text) if cell else ""
                if text and text not in parts:
                    parts.append(text)
            texts.append(parts[-1] if parts else "")
        roles = _roles(texts)
        if roles and any(r.startswith("level") for r in roles) and "points" in roles:
            return rows, roles, texts
    return None


def _roles(texts: list[str]) -> list[str] | None:
    roles, next_level = [], 1
    for text in texts:
        level = next((n for name, n in LEVEL_NAMES.items() if name in text), None)
        if level:
            roles.append(f"level{level}")
            next_level = level + 1
        elif GENERIC_LEVEL.match(text) and next_level <= 3:
            roles.append(f"level{next_level}")
            next_level += 1
        elif NUMBER.match(text):
            roles.append("no")
        elif POINTS.search(text) and "评分" not in text:
            roles.append("points" if "points" not in roles else "extra")
        elif REQUIREMENT.search(text):
            roles.append("requirement")
        elif CRITERIA.search(text):
            roles.append("criteria" if "criteria" not in roles else "extra")
        else:
            roles.append("extra")
    return roles


def owner(grid: Grid, row: int, col: int) -> Cell | None:
    """The cell that covers a grid slot (following spans up and left)."""
    for r in range(row, -1, -1):
        for c in range(col, -1, -1):
            cell = grid.rows[r][c] if c < len(grid.rows[r]) else None
            if cell is not None:
                if r + cell.rowspan > row and c + cell.colspan > col:
                    return cell
                if r == row:
                    break
        # continue upwards
    return None


def number(text: str):
    text = text.strip().replace("分", "").strip()
    if not NUMERIC.match(text):
        return None
    value = float(text)
    return int(value) if value.is_integer() else value


def parse_indicators(grid: Grid, head: tuple[int, list[str], list[str]], number_: str, caption: str,
                     table_id: str) -> Parsed:
    header_rows, roles, headers = head
    level_cols = sorted((int(r[-1]), c) for c, r in enumerate(roles) if r.startswith("level"))
    col = {r: roles.index(r) for r in ("no", "points", "requirement", "criteria") if r in roles}
    extras = [c for c, r in enumerate(roles) if r == "extra"]
    problems: list[str] = []
    roots: list[Indicator] = []
    stack: list[tuple[Indicator, Cell]] = []   # open indicators with the cell that names them
    total = None
    line = 0
    for r in range(header_rows, len(grid.rows)):
        row = grid.rows[r]
        first = next((c for c in row if c is not None), None)
        texts = [c.text if c else None for c in row]
        if first is not None and TOTAL_ROW.match(re.sub(r"\s+", "", first.text)):
            cell = row[col["points"]] if "points" in col else None
            total = number(cell.text) if cell else None
            continue
        created: list[tuple[Indicator, Cell]] = []
        for depth, c in level_cols:
            cell = row[c]
            if cell is None:
                continue
            name = cell.text
            if name in EMPTY:
                continue
            points = None
            m = GROUP_POINTS.match(name)
            if m and cell.rowspan > 1:
                name, points = m["name"].strip(), number(m["points"])
            line += 1
            indicator = Indicator(id="", name=name, line=line, depth=depth, points=points)
            while stack and stack[-1][0].depth >= depth:
                stack.pop()
            if stack:
                indicator.depth = stack[-1][0].depth + 1
                stack[-1][0].children.append(indicator)
            else:
                indicator.depth = 1
                roots.append(indicator)
            stack.append((indicator, cell))
            created.append((indicator, cell))
        if not created:
            if any(t for t in texts if t):
                problems.append(f"第 {r + 1} 行没有指标名称，已跳过其内容：{'｜'.join(t for t in texts if t)}")
            continue
        leaf, leaf_cell = created[-1]
        if "points" in col and row[col["points"]] is not None:
            cell = row[col["points"]]
            value = number(cell.text)
            target = next((ind for ind, named in reversed(created) if named.rowspan == cell.rowspan), leaf)
            if cell.text not in EMPTY and value is None:
                problems.append(f"第 {r + 1} 行分值 “{cell.text}” 不是数字，已写入评分标准")
                leaf.criteria = _join(leaf.criteria, f"分值：{cell.text}")
            if target is not leaf or value is not None:
                target.points = value if target.points is None else target.points
        if "no" in col and row[col["no"]] is not None:
            cell = row[col["no"]]
            if cell.text not in EMPTY:
                target = next((ind for ind, named in created if named.rowspan == cell.rowspan), leaf)
                target.no = cell.text
        if "requirement" in col and row[col["requirement"]] is not None:
            text = row[col["requirement"]].text
            if text in ("必选", "可选"):
                leaf.requirement = text
            elif text not in EMPTY:
                leaf.criteria = _join(leaf.criteria, f"{headers[col['requirement']]}：{text}")
        if "criteria" in col and row[col["criteria"]] is not None:
            _criteria(leaf, row[col["criteria"]].text)
        for c in extras:
            if row[c] is not None and row[c].text not in EMPTY:
                leaf.criteria = _join(leaf.criteria, f"{headers[c]}：{row[c].text}")
    table = IndicatorTable(number=number_, caption=caption, id=table_id, line=0, indicators=roots)
    if total is not None:
        table.total = total
    _hoist_requirements(roots)
    if roots and table_columns(table) == [r for r in roles if r != "extra"] and not extras \
            and [headers[i] for i in range(len(roles))] != [DEFAULT_HEADERS[r] for r in roles]:
        table.columns = list(headers)
    elif roots and [r for r in roles if r != "extra"] != table_columns(table):
        problems.append("列的顺序或组成与指标表的标准排法不同，导入后按标准排法排列："
                        + "、".join(h for h in headers if h))
    return Parsed(table=table, data=_yaml_data(table), problems=problems)


def _join(a: str, b: str) -> str:
    return f"{a}；{b}" if a else b


def _criteria(indicator: Indicator, text: str) -> None:
    """Reverse of the printed criteria: 一票否决；text；criterion（3 分）；bands；〔gap〕."""
    text = text.replace("\n", "")
    if text in EMPTY:
        return
    m = GAP.match(text)
    if m:
        indicator.gap, text = m["gap"], m["rest"]
    parts = text.split("；") if text else []
    if parts and parts[0] == "一票否决":
        indicator.veto = True
        parts = parts[1:]
    for i in range(len(parts)):
        b = BANDS.match("；".join(parts[i:]))
        bands = _bands(b["steps"]) if b else None
        if bands is not None:
            indicator.metric = b["metric"] or ""
            indicator.bands = bands
            parts = parts[:i]
            break
    levels = []
    while parts and (lv := LEVEL_SUFFIX.match(parts[-1])):
        levels.insert(0, (lv["criterion"], number(lv["points"])))
        parts = parts[:-1]
    if levels and all(p is not None for _, p in levels):
        from ..model import Level
        indicator.levels = [Level(points=p, criterion=c) for c, p in levels]
    else:
        parts += [f"{c}（{p} 分）" for c, p in levels]
    indicator.criteria = _join(indicator.criteria, "；".join(parts)) if parts else indicator.criteria


def _bands(steps: str):
    from ..model import Band
    out = []
    for step in steps.split("；"):
        m = BAND_STEP.match(step.strip())
        if not m:
            return None
        if m["other"] is not None:
            out.append(Band(points=number(m["other"])))
            continue
        band = Band(points=number(m["points"]))
        for cond in (m["cond"] or "").split("且"):
            if cond.startswith("≥"):
                band.min = number(cond[1:])
            elif cond.startswith("≤"):
                band.max = number(cond[1:])
            elif cond:
                return None
        out.append(band)
    return out


def _hoist_requirements(indicators: list[Indicator]) -> None:
    """必选/可选 printed on every leaf of a group was stated once for the group."""
    for indicator in indicators:
        _hoist_requirements(indicator.children)
        if indicator.children:
            values = {c.requirement for c in indicator.children}
            if len(values) == 1 and "" not in values and all(not c.children or c.requirement
                                                             for c in indicator.children):
                indicator.requirement = values.pop()
                for child in indicator.children:
                    child.requirement = ""


def _yaml_data(table: IndicatorTable) -> dict:
    data: dict = {"id": table.id}
    if table.total != 100:
        data["total"] = table.total
    if table.columns:
        data["columns"] = table.columns
    data["indicators"] = [_indicator_data(i) for i in table.indicators]
    return data


def _indicator_data(indicator: Indicator) -> dict:
    if indicator.points is None and not indicator.gap and not indicator.veto:
        indicator.gap = NO_POINTS
    out: dict = {}
    if indicator.no:
        out["no"] = indicator.no
    out["name"] = indicator.name
    out["points"] = indicator.points
    for key in ("requirement", "criteria", "metric", "gap"):
        if getattr(indicator, key):
            out[key] = getattr(indicator, key)
    if indicator.veto:
        out["veto"] = True
    if indicator.levels:
        out["criteria"] = [{"points": lv.points, "criterion": lv.criterion} for lv in indicator.levels]
    if indicator.bands:
        out["bands"] = [{k: v for k, v in (("min", b.min), ("max", b.max), ("points", b.points))
                         if v is not None} for b in indicator.bands]
    if indicator.children:
        out["children"] = [_indicator_data(c) for c in indicator.children]
    return out


def grades(text: str) -> list[dict] | None:
    """评价等级：深绿，综合评价得分≥85 分；中绿，综合评价得分≥70 分。 → grade entries."""
    m = GRADES_LINE.match(text.strip())
    if not m:
        return None
    out = []
    for n, part in enumerate(m["grades"].split("；"), 1):
        g = GRADE.match(part.strip())
        note = GRADE_NOTE.match(part.strip()) if not g else None
        if not g and not (note and out):
            return None
        label = (g or note)["label"].strip()
        ident = label if re.fullmatch(r"[A-Za-z][A-Za-z0-9_.-]*", label) else f"g{n}"
        if g:
            out.append({"id": ident, "label": label, "min": number(g["min"])})
        else:   # printed with its note instead of a threshold: the minimum is not in the file
            out.append({"id": ident, "label": label, "min": 0, "note": note["note"].strip()})
    return out


def plain_rows(grid: Grid) -> tuple[list[list[str]], bool]:
    """Text of every grid slot (a merged cell's text in each slot it covers), and whether any merged."""
    merged = False
    rows = []
    for r, row in enumerate(grid.rows):
        out = []
        for c in range(len(row)):
            cell = row[c]
            if cell is None:
                covering = owner(grid, r, c)
                merged = merged or covering is not None
                out.append(covering.text if covering is not None else "")
            else:
                out.append(cell.text)
        rows.append(out)
    return rows, merged
