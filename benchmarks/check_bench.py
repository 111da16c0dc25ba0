"""How much the checker adds to a build, and how fast `gbstd check` is on a large corpus.

One run times, on this machine:

1. the Sphinx HTML build of the real corpus (standards/) with the checker on and off
   (``-D gbstd_check=0``: the same build, models included, without the rules);
2. the same on a generated corpus of N standards (default 200; each about 60 clauses,
   45 indicators, 5 formulas, 5 terms, 3 normative references; every tenth with an
   explanatory note; all derived from one generated guideline with a framework);
3. ``gbstd check`` on the generated corpus.

It reports wall times, the on/off ratio (target ≤ 1.3) and peak memory (target ≤ 2 GB)
and, with ``--update-readme``, writes them into benchmarks/README.md.

    .venv/bin/python benchmarks/check_bench.py [--standards 200] [--repeat 3] [--update-readme]
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from gbstd import check, rules, sources  # noqa: E402  (run as a script from any folder)
from gbstd.model import Document  # noqa: E402

README = Path(__file__).resolve().parent / "README.md"
GROUPS = [("绿色战略", "战略"), ("绿色管理", "管理"), ("绿色创新", "创新"), ("绿色生产", "生产"),
          ("绿色责任", "责任")]
LEAF_POINTS = [3, 3, 3, 3, 2, 2, 2, 2]
CHAPTERS = ["范围", "规范性引用文件", "术语和定义"] + [g for g, _ in GROUPS] + ["评价程序"]

# ---------------------------------------------------------------- the generated corpus


def front_matter(slug: str, number: int, parent: str = "") -> str:
    lines = ["---", "kind: standard", f"designation: T/BENCH {number:03d}—2025", "family: group",
             f"title: 第{number}号示例评价规范", "stage: 征求意见稿", "proposer: 示例协会", "owner: 示例协会",
             "drafting_rules: GB/T 1.1—2020"]
    if parent:
        lines.append(f"parent: {parent}")
    lines += ["gaps:"] + [f"  {key}: 生成的基准文件" for key in
                          ("title_en", "ics", "ccs", "issued", "implemented", "issuer", "drafting_units",
                           "drafters")]
    return "\n".join(lines + ["---", "", f"# 第{number}号示例评价规范", ""])


FOREWORD = """## 前言

本文件按照GB/T 1.1—2020《标准化工作导则　第1部分：标准化文件的结构和起草规则》的规定起草。

请注意本文件的某些内容可能涉及专利。本文件的发布机构不承担识别专利的责任。

本文件由示例协会提出并归口。

本文件起草单位：示例单位。

本文件主要起草人：张三。

## 1 范围

本文件规定了示例评价的评价要求和评价程序。

本文件适用于示例评价。

## 2 规范性引用文件

下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。其中，注日期的引用文件，仅该日期对应的版本适用于本文件；不注日期的引用文件，其最新版本（包括所有的修改单）适用于本文件。

GB/T 23331 能源管理体系　要求及使用指南

GB/T 24001 环境管理体系　要求及使用指南

GB/T 36132 绿色工厂评价通则

## 3 术语和定义

下列术语和定义适用于本文件。
"""

TERMS = [("绿色企业", "green enterprise"), ("绿色管理", "green management"),
         ("绿色创新", "green innovation"), ("绿色生产", "green production"),
         ("绿色责任", "green responsibility")]


def terms() -> str:
    return "\n".join(f"```{{term}} 3.{n}\n:term: 示例{name}\n:en: example {en}\n\n"
                     f"在示例评价中{name}所指的活动和结果。\n```\n" for n, (name, en) in enumerate(TERMS, 1))


def chapters(extra: str = "") -> str:
    out = []
    for chapter, (group, short) in enumerate(GROUPS, 4):
        out.append(f"## {chapter} {group}\n")
        for n in range(1, len(LEAF_POINTS) + 1):
            out.append(f"### {chapter}.{n} {short}要求{n}\n")
            if chapter == 7 and n <= 5:
                out.append(f"企业应统计{short}指标{n}，按公式（A.{n}）计算。\n")
            elif n == 1 and chapter == 4:
                out.append("企业应建立环境管理体系，并符合 GB/T 24001 的规定。\n")
            elif n == 1 and chapter == 5:
                out.append("企业应建立能源管理体系，并符合 GB/T 23331 的规定。\n")
            elif n == 1 and chapter == 6:
                out.append("企业所属工厂应符合 GB/T 36132 的规定。\n")
            else:
                out.append(f"企业应满足{short}方面的第{n}项要求，并保存记录。\n")
    out.append(f"""## 9 评价程序

评价应包括以下环节：

a) 评价准备；
b) 现场评价；
c) 编制评价报告。

评价指标及其分值见附录B。{extra}
""")
    return "\n".join(out)


def formulas() -> str:
    out = ["## 附录A（规范性）指标计算方法\n"]
    for n in range(1, 6):
        out.append(f"""### A.{n} 生产指标{n}

生产指标{n}按公式（A.{n}）计算。

```{{formula}} A.{n}
latex: 'r_{{{n}}} = \\frac{{Q_{{{n}}}}}{{A}} \\times 100\\%'
expr: Q{n} / A * 100
symbols:
  - {{symbol: "r_{{{n}}}", id: r{n}, meaning: 生产指标{n}, unit: "%"}}
  - {{symbol: "Q_{{{n}}}", id: Q{n}, meaning: 评价期内第{n}类量, unit: 吨（t）}}
  - {{symbol: A, meaning: 评价期内工业总产值, unit: 万元}}
```
""")
    return "\n".join(out)


def indicator_table(slug: str) -> str:
    rows = []
    for chapter, (group, short) in enumerate(GROUPS, 4):
        rows.append(f"  - id: g{chapter}\n    name: {group}\n    points: {sum(LEAF_POINTS)}\n"
                    f"    clause: \"{chapter}\"\n    children:")
        for n, points in enumerate(LEAF_POINTS, 1):
            metric = f", metric: A.{n}" if chapter == 7 and n <= 5 else ""
            rows.append(f"      - {{id: g{chapter}-{n}, no: {(chapter - 4) * 8 + n}, name: {short}要求{n}, "
                        f"points: {points}, clause: \"{chapter}.{n}\"{metric}}}")
    return f"""## 附录B（规范性）评价指标表

表B.1 给出了评价指标。

```{{indicator-table}} B.1
:caption: 评价指标表

id: {slug}
total: 100
grades:
  - {{id: dark, label: 深绿, min: 85}}
  - {{id: mid, label: 中绿, min: 70}}
  - {{id: light, label: 浅绿, min: 60}}
indicators:
  - {{id: catalog, name: 目录符合, veto: true, requirement: 必选}}
""" + "\n".join(rows) + "\n```\n"


def standard(slug: str, number: int, parent: str, extra: str = "") -> str:
    return "\n".join([front_matter(slug, number, parent), FOREWORD, terms(), chapters(extra), formulas(),
                      indicator_table(slug)])


def guide() -> str:
    names = ", ".join(["目录符合"] + [g for g, _ in GROUPS])
    return standard("bench-guide", 0, "", "派生标准应符合附录C的规定。") + f"""
## 附录C（规范性）派生标准的框架

依据本文件制定的标准应符合本附录的框架。

```{{framework}}
id: bench
level1: [{", ".join("{name: %s, verb: 应}" % n for n in names.split(", "))}]
constraints:
  - {{kind: min-share, names: [绿色战略, 绿色管理, 绿色创新], min: 50, verb: 应}}
structure:
  verb: 宜
  chapters: [{", ".join(CHAPTERS)}]
  annexes: [指标计算方法, 评价指标表]
```
"""


def notes(slug: str, number: int) -> str:
    return f"""---
kind: notes
title: 《第{number}号示例评价规范》编制说明
explains: {slug}
stage: 征求意见稿
---

# 《第{number}号示例评价规范》编制说明

## 一、主要条款说明

本文件主要由9个章节构成，给出了2个附录，对5个术语进行了定义。

“绿色战略”要求从八个方面进行评价，总分 20 分。“绿色生产”要求从八个方面进行评价，总分 20 分。

综合评价得分≥85 分的，视为“深绿”等级；70 分≤综合评价得分<85 分的，视为“中绿”等级。

## 二、重大意见分歧的处理依据和结果

无。
"""


def generate(folder: Path, count: int) -> None:
    (folder / "bench-guide").mkdir(parents=True)
    (folder / "bench-guide" / "standard.md").write_text(guide(), encoding="utf-8")
    for number in range(1, count):
        slug = f"bench-{number:03d}"
        (folder / slug).mkdir()
        (folder / slug / "standard.md").write_text(standard(slug, number, "bench-guide"), encoding="utf-8")
        if number % 10 == 0:
            (folder / slug / "notes.md").write_text(notes(slug, number), encoding="utf-8")
    (folder / "index.md").write_text(INDEX, encoding="utf-8")


# The index page as `gbstd init` makes it (templates/project/index.md.j2): the table of all
# documents and a hidden toctree. A visible full-depth toctree, which no gbstd project has,
# put every heading of every standard on one page (54,000 links for 1,000 standards).
INDEX = "# 基准语料\n\n```{corpus-index}\n```\n\n```{toctree}\n:hidden:\n:glob:\n\n*/standard\n*/notes\n```\n"


# ---------------------------------------------------------------- timing


def timed(command: list[str]) -> dict:
    """Wall and CPU seconds and peak RSS (MiB) of one child process (with its own children)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "memory": usage.ru_maxrss / 1024}


def sphinx(source: Path, out: Path, check: bool) -> list[str]:
    return [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-E", "-c", str(ROOT),
            "-d", str(out / "doctrees"), "-D", f"gbstd_check={int(check)}", str(source), str(out / "html")]


def compare(name: str, source: Path, work: Path, repeat: int) -> dict:
    """Builds with the checker on and off, run alternately."""
    runs: dict[bool, list[dict]] = {True: [], False: []}
    for run in range(repeat):
        for checker_on in (False, True):
            out = work / f"build-{checker_on}-{run}"
            runs[checker_on].append(timed(sphinx(source, out, checker_on)))
            shutil.rmtree(out, ignore_errors=True)
    result = {"name": name, "memory": max(r["memory"] for r in runs[True]), "rules": rules_time(source)}
    for measure in ("wall", "cpu"):
        # the least disturbed run of each setting: other processes only ever add time
        on = min(r[measure] for r in runs[True])
        off = min(r[measure] for r in runs[False])
        result[measure] = (off, on, on / off)
    return result


def rules_time(source: Path) -> float:
    """CPU seconds the checker itself takes on ``source``: the rules over already built models."""
    docs = [d for d in check.read_all(sources.discover([str(source)])) if isinstance(d, Document)]
    context = check.build_context(docs)
    rules.load_all()
    start = time.process_time()
    for doc in docs:
        check.check_document(doc, context)
    return time.process_time() - start


def findings_summary(source: Path) -> str:
    run = subprocess.run([sys.executable, "-m", "gbstd", "check", str(source)],
                         capture_output=True, text=True)
    return run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--standards", type=int, default=200, help="size of the generated corpus")
    parser.add_argument("--repeat", type=int, default=3, help="builds per configuration (median)")
    parser.add_argument("--update-readme", action="store_true", help="write the results into README.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gbstd-bench-") as tmp:
        work = Path(tmp)
        generated = work / "corpus"
        generate(generated, args.standards)
        sources = sum(1 for _ in generated.rglob("*.md")) - 1
        print(f"generated {sources} source files in {generated}", file=sys.stderr)
        results = [compare("real corpus (standards/)", ROOT / "standards", work, args.repeat),
                   compare(f"generated corpus ({args.standards} standards)", generated, work,
                           max(1, args.repeat - 1))]
        alone = timed([sys.executable, "-m", "gbstd", "check", str(generated)])
        summary = findings_summary(generated)
    report = render(results, args.standards, alone, summary)
    print(report)
    if args.update_readme:
        text = README.read_text(encoding="utf-8")
        text = re.sub(r"(<!-- results -->\n).*(<!-- /results -->)", lambda m: m[1] + report + m[2], text,
                      flags=re.S)
        README.write_text(text, encoding="utf-8")
    return 0


def render(results: list[dict], count: int, alone: dict, summary: str) -> str:
    load = os.getloadavg()[0]
    lines = [f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, "
             f"Python {platform.python_version()} (load average at the end: {load:.1f}).", "",
             "| build | checker off: wall / CPU (s) | checker on: wall / CPU (s) | ratio wall | ratio CPU "
             "| rules alone, CPU (s) | (off + rules) / off | peak memory, on (MiB) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        (off, on, ratio), (cpu_off, cpu_on, cpu_ratio) = r["wall"], r["cpu"]
        lines.append(f"| {r['name']} | {off:.1f} / {cpu_off:.1f} | {on:.1f} / {cpu_on:.1f} | {ratio:.3f} "
                     f"| {cpu_ratio:.3f} | {r['rules']:.2f} | {(cpu_off + r['rules']) / cpu_off:.3f} "
                     f"| {r['memory']:.0f} |")
    lines += ["", f"`gbstd check` on the generated corpus ({count} standards): **{alone['wall']:.1f} s** wall, "
              f"{alone['cpu']:.1f} s CPU, peak memory **{alone['memory']:.0f} MiB**; its summary: {summary}", ""]
    worst = max(max(r["wall"][2], r["cpu"][2]) for r in results)
    lines += [f"Targets: ratio ≤ 1.3 {'met' if worst <= 1.3 else 'MISSED'} (worst {worst:.3f}); "
              f"`gbstd check` ≤ 60 s {'met' if alone['wall'] <= 60 else 'MISSED'}; memory ≤ 2 GB "
              f"{'met' if max([alone['memory']] + [r['memory'] for r in results]) <= 2048 else 'MISSED'}.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
