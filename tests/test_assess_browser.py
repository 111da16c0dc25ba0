"""The self-assessment pages in headless Chromium (Debian's chromium + chromedriver, selenium):
the browser scorer's unit tests, every conformance vector and ≥ 1,000 random assessments
(hypothesis, fixed seed) per schema scored in the page and compared with the reference
scorer — 0 differences, rounding included — and real typing, clicking, loading and printing.

Assessments are evaluated in the page in batches (one execute_script per batch).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gbstd.paths import TEMPLATES
from gbstd.scoring import Scorer, assess, published, semantic, vectors
from gbstd.source import reader
from gbstd.writers import html
from scoring_support import ROOT, SYNTHETIC, assessment, schema, stock_validator, synthetic

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
                                reason="chromium and chromium-driver are not installed (make system-deps)")
RANDOM_PER_SCHEMA = 1000
BATCH = 250
PAGES = {  # schema id → page in the corpus build ("" : the standalone synthetic page)
    "green-enterprise": "green-enterprise/assess-green-enterprise.html",
    "green-logistics-enterprise": "green-logistics/assess-green-logistics-enterprise.html",
    "green-logistics-project": "green-logistics/assess-green-logistics-project.html",
    "synthetic-logistics": "",
}
SCHEMAS = {"green-enterprise": lambda: schema("green-enterprise", "green-enterprise"),
           "green-logistics-enterprise": lambda: schema("green-logistics", "green-logistics-enterprise"),
           "green-logistics-project": lambda: schema("green-logistics", "green-logistics-project"),
           "synthetic-logistics": synthetic}


@pytest.fixture(scope="module")
def driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")        # never let selenium fetch a browser or driver
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", "--window-size=1280,1000"):
        options.add_argument(argument)
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield browser
    browser.quit()


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory) -> Path:
    """The synthetic logistics fixture's pages, laid out as the site lays them out."""
    out = tmp_path_factory.mktemp("assess-site")
    shutil.copytree(TEMPLATES / "assess" / "static", out / "_static")
    shutil.copy(TEMPLATES / "html" / "static" / "gb.css", out / "_static" / "gb.css")
    for page in assess.pages([reader.read(SYNTHETIC)], ROOT):
        body = html.render("assess/page.html.j2", page=page, prefix="../", standard=page["standard"],
                           table=page["table"], standard_href="../index.html", index_href="../index.html")
        target = out / f"{page['name']}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
                          '<meta name="viewport" content="width=device-width, initial-scale=1">'
                          f'<title>{html.escape(page["title"])}</title>'
                          '<link rel="stylesheet" href="../_static/gb.css"></head><body>'
                          f'<div class="document"><main class="body">{body}</main></div></body></html>',
                          encoding="utf-8")
    return out


def url_of(table: str, html_build, synthetic_site, variant: str = "") -> str:
    if PAGES[table]:
        out, result = html_build
        assert result.returncode == 0, result.stderr
        path = out / PAGES[table]
    else:
        path = synthetic_site / "logistics" / f"assess-{table}{'-' + variant if variant else ''}.html"
    assert path.exists(), path
    return path.as_uri()


def open_page(driver, url: str):
    driver.get(url)
    assert driver.execute_script("return typeof window.GBAssess") == "object", "the page script did not start"


def run_batch(driver, assessments: list[dict]) -> list[dict]:
    found = []
    for start in range(0, len(assessments), BATCH):
        text = driver.execute_script(
            "var s = GBAssess.scorer; return JSON.stringify(arguments[0].map(function (a) {"
            " return GBScore.run(s, a); }));", assessments[start:start + BATCH])
        found += json.loads(text)
    return found


def differences(driver, scorer: Scorer, assessments: list[dict], expected: list[dict] | None = None) -> list:
    expected = expected or [vectors.expected(scorer, a) for a in assessments]
    got = run_batch(driver, assessments)
    return [(a, want, have) for a, want, have in zip(assessments, expected, got) if want != have]


# ---------------------------------------------------------------- the scorer's own tests


def test_browser_scorer_unit_tests(driver, html_build, synthetic_site):
    open_page(driver, url_of("synthetic-logistics", html_build, synthetic_site))
    driver.execute_script((TEMPLATES / "assess" / "tests" / "gb-assess-scorer.test.js").read_text(encoding="utf-8"))
    assert driver.execute_script("return GBScoreTests.run()") == []


# ---------------------------------------------------------------- vectors and random assessments


@pytest.mark.parametrize("table", sorted(PAGES))
def test_page_scores_every_vector_and_random_assessments_like_the_reference(driver, html_build, synthetic_site, table):
    reference = SCHEMAS[table]()
    open_page(driver, url_of(table, html_build, synthetic_site))
    data = driver.execute_script("return GBAssess.data")
    assert data["schema"] == reference            # the page carries the very schema gbstd build publishes
    scorer = Scorer(reference)
    assert data["sha256"] == scorer.sha256
    doc = vectors.document(reference)
    cases = [v["assessment"] for v in doc["vectors"]]
    assert differences(driver, scorer, cases, [v["expected"] for v in doc["vectors"]]) == []
    randoms = random_assessments(reference)
    assert len(randoms) >= RANDOM_PER_SCHEMA
    outcomes = {vectors.expected(scorer, a).get("outcome", "error") for a in randoms}
    assert {"incomplete", "error"} <= outcomes            # the random ones reach the branches too
    if reference["gates"]:
        assert "disqualified" in outcomes
    assert differences(driver, scorer, randoms) == []


def random_assessments(schema_: dict) -> list[dict]:
    found: list[dict] = []

    @settings(max_examples=RANDOM_PER_SCHEMA, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(assessments(schema_))
    def collect(assessment_):
        found.append(assessment_)
    collect()
    return found


# Hypothesis draws one number per gate, item and input (fast to generate and to shrink); the
# number picks the answer and its value, so the branches below are all reached.
DRAW = st.integers(0, 2 ** 24 - 1)


def assessments(schema_: dict):
    items = semantic.units(schema_)
    size = len(schema_["gates"]) + len(items) + len(schema_["inputs"]) + 3
    return st.lists(DRAW, min_size=size, max_size=size).map(lambda numbers: _assemble(schema_, items, numbers))


def _points(n: int, maximum: float, complete: bool):
    kind, rest = n % 8, n // 8
    kind = kind % 6 if complete else kind
    return [rest % (int(maximum) + 1), (rest % (int(maximum * 100) + 1)) / 100, maximum, maximum / 3,
            rest / (2 ** 21 - 1) * maximum, maximum * 0.7, maximum + (rest % 100 + 1) / 100, -0.5][kind]


def _response(item: dict, n: int, complete: bool) -> dict | None:
    kind, most, pick, rest = item["method"]["kind"], item["points"], n % 16, n // 16
    if complete:
        pick %= 12
    if pick == 12:
        return {"status": "not-assessed"}
    if pick == 13:
        return {"status": "not-applicable", "reason": "不适用"}
    if pick == 14:
        return {"status": "computed"} if rest % 2 else {"status": "level", "level": "L1"}
    if pick == 15:
        return None
    if kind == "manual":
        return {"status": "scored", "points": _points(rest, most, complete)} if pick < 9 else \
            {"status": "pass" if pick % 2 else "fail"}
    if kind == "boolean":
        return {"status": "pass" if pick < 9 else "fail"}
    if kind == "levels":
        answers = [{"status": "level", "level": level["code"]} for level in item["method"]["levels"]]
        answers += [{"status": "fail"}] + ([] if complete else [{"status": "level", "level": "L9"}])
        return answers[pick % len(answers)]
    return None


def _input(spec: dict, n: int):
    pick, rest = n % 14, n // 14
    number = [rest % 1000, rest / 997, (rest - 2 ** 19) * 1.37, 0, 0.5, 1e-300, 5e-324, 1.7976931348623157e308,
              -0.0, rest][rest % 10]
    if pick < 6:
        return number
    if pick == 6:
        return None
    if pick == 7:
        return "12"
    if pick == 8:
        return None if spec["type"] == "number-list" else [1, 2]
    if pick in (9, 10) and spec["type"] == "number-list":
        return [(rest >> k) % 5000 / 7 for k in range(rest % 6)]
    if pick in (11, 12) and spec.get("unit_aliases"):
        units = spec["unit_aliases"] + ["光年", "KG", "t·km"]
        return {"value": number, "unit": units[rest % len(units)]}
    return number


def _assemble(schema_: dict, items: list[dict], numbers: list[int]) -> dict:
    numbers = iter(numbers)
    assessment_ = {"$schema": published.url("assessment-input"), "schema_version": "1.0.0",
                   "scoring_schema": {"id": schema_["id"]}, "applicant": {"name": "随机测试单位"}}
    variants = [None] + [v["id"] for v in schema_["variants"]]
    variant = variants[next(numbers) % len(variants)]
    if variant is not None:
        assessment_["variant"] = variant
    responses = {}
    for gate in schema_["gates"]:
        status = ["pass", "pass", "pass", "pass", "pass", "fail", "not-assessed", None][next(numbers) % 8]
        if status:
            responses[gate["id"]] = {"status": status}
    complete = next(numbers) % 3 != 0       # mostly fully answered applicants, so that grades are reached
    for item in items:
        answer = _response(item, next(numbers), complete)
        if answer is not None:
            responses[item["id"]] = answer
    assessment_["responses"] = responses
    given = {}
    for spec in schema_["inputs"]:
        value = _input(spec, next(numbers))
        if value is not None:
            given[spec["id"]] = value
    if given:
        assessment_["inputs"] = given
    breakage = next(numbers) % 48
    if breakage == 0 and responses:
        responses[sorted(responses)[0]] = {"status": "skipped"}
    elif breakage == 1:
        assessment_["scoring_schema"]["id"] = "another-table"
    elif breakage == 2:
        assessment_["variant"] = "no-such-variant"
    elif breakage == 3:
        responses["no_such_item"] = {"status": "pass"}
    return assessment_


# ---------------------------------------------------------------- real use of the UI


def text_of(driver, element_id: str) -> str:
    return driver.find_element("id", element_id).text


def test_typing_and_clicking_a_project_assessment(driver, html_build, synthetic_site, tmp_path):
    """The synthetic project of tests/fixtures/scoring/synthetic-project.yaml, entered by hand:
    41 of 50 applicable points → 82 → 深绿 (worked out in docs/scoring.md)."""
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    open_page(driver, url_of("synthetic-logistics", html_build, synthetic_site))
    find = lambda css: driver.find_element("css selector", css)  # noqa: E731
    find("#gb-save").click()          # nothing to save yet: the applicant's name is required
    assert "未保存" in text_of(driver, "gb-file-status") and "申请单位名称" in text_of(driver, "gb-file-status")
    assert driver.switch_to.active_element.get_attribute("id") == "gb-applicant"
    find("#gb-applicant").send_keys("合成测试冷链配送中心项目（虚构）")
    click = lambda element: driver.execute_script(  # noqa: E731 - clear of the sticky score bar
        "arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", element)
    click(find('input[name="gb-variant"][value="project"]'))
    click(find('input[name="g-catalog"][value="pass"]'))
    radio = find('input[name="g-technical"][value="not-assessed"]')
    radio.send_keys(Keys.ARROW_LEFT)                 # keyboard: the arrow moves the radio group's choice
    assert find('input[name="g-technical"][value="fail"]').is_selected()
    click(find('input[name="g-technical"][value="pass"]'))
    Select(find("#s-ip")).select_by_value("level:L2")
    Select(find("#s-key_tech")).select_by_value("scored")
    find("#p-key_tech").send_keys("10")
    Select(find("#s-resource")).select_by_value("not-applicable")
    find("#n-resource").send_keys("项目运营不产生废弃物")
    for ident, value in (("ghg", "7"), ("process", "4")):
        Select(find(f"#s-{ident}")).select_by_value("scored")
        find(f"#p-{ident}").send_keys(value)
    Select(find("#s-pollutant")).select_by_value("pass")
    find("#i-C_0").send_keys("0.50")
    find("#i-C_1").send_keys("0.35")
    assert text_of(driver, "m-d").startswith("30")          # d = (0.50 − 0.35) ÷ 0.50 × 100
    summary = text_of(driver, "gb-summary")
    assert "41 / 50" in summary and "82" in summary and "深绿" in summary
    assert text_of(driver, "o-growth") == "本评价类型不参评"
    assert "已达到最高等级" in text_of(driver, "gb-why")
    # what the page would save is what gbstd score reads, and scores the same
    saved = driver.execute_script("return GBAssess.collect(true)")
    assert saved["missing"] == []
    assert list(stock_validator("assessment-input").iter_errors(saved["assessment"])) == []
    result = Scorer(synthetic()).score(saved["assessment"])
    assert (result["normalized"], result["grade"]["label"]) == (82, "深绿")
    # 保存评估文件 for real: the downloaded file, scored by the assessor with gbstd score
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    click(find("#gb-save"))
    saved_file = tmp_path / "synthetic-logistics-评估输入.json"
    for _ in range(100):
        if saved_file.exists() and saved_file.read_text(encoding="utf-8").endswith("\n"):
            break
        time.sleep(0.05)
    assert "已保存" in text_of(driver, "gb-file-status")
    schema_file = tmp_path / "synthetic.json"
    schema_file.write_text(published.dumps(synthetic()), encoding="utf-8")
    scored = subprocess.run([sys.executable, "-m", "gbstd", "score", str(schema_file), str(saved_file),
                             "--format", "json"], capture_output=True, text=True, cwd=ROOT)
    assert scored.returncode == 0, scored.stderr
    assert vectors.verdict(json.loads(scored.stdout)) == run_batch(driver, [saved["assessment"]])[0]
    # a veto item failed: disqualified whatever the points, and the page says which
    click(find('input[name="g-catalog"][value="fail"]'))
    assert "一票否决" in text_of(driver, "gb-summary") and "目录符合" in text_of(driver, "gb-why")


def wait_for(driver, text: str) -> None:
    """The file reader is asynchronous: wait (up to 5 s) for its status line."""
    for _ in range(100):
        if text in text_of(driver, "gb-file-status"):
            return
        time.sleep(0.05)


def test_loading_a_file_fills_the_form_and_saves_it_back_unchanged(driver, html_build, synthetic_site, tmp_path):
    """Table B.1 of 绿色企业评价通则: the worked example totals 77 of 100 (docs/scoring.md)."""
    example = assessment("green-enterprise-b1.yaml")
    example["responses"]["top_commitment"]["evidence"] = ["承诺书.pdf"]   # kept although the form has no field
    path = tmp_path / "评估.json"
    path.write_text(json.dumps(example, ensure_ascii=False), encoding="utf-8")
    open_page(driver, url_of("green-enterprise", html_build, synthetic_site))
    driver.find_element("id", "gb-load").send_keys(str(path))
    wait_for(driver, "已载入")
    assert "已载入" in text_of(driver, "gb-file-status")
    assert "77" in text_of(driver, "gb-summary")
    assert text_of(driver, "m-n").startswith("0.2")              # n = 12000 ÷ 60000
    saved = driver.execute_script("return GBAssess.collect(true)")["assessment"]
    assert saved == example
    # a broken file is refused with the reason, and the form is kept
    bad = tmp_path / "坏.json"
    bad.write_text("{\"responses\": ", encoding="utf-8")
    driver.find_element("id", "gb-load").send_keys(str(bad))
    wait_for(driver, "无法载入")
    assert "SCORE-020" in text_of(driver, "gb-file-status")
    assert "77" in text_of(driver, "gb-summary")


def test_print_layout_and_narrow_screen(driver, html_build, synthetic_site, tmp_path):
    open_page(driver, url_of("synthetic-logistics", html_build, synthetic_site, "enterprise"))
    driver.execute_script("GBAssess.fill(arguments[0])", assessment("synthetic-enterprise.yaml"))
    assert "77" in text_of(driver, "gb-summary") and "中绿" in text_of(driver, "gb-summary")
    assert "距深绿（≥ 85）还差 8 分" in text_of(driver, "gb-why")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        shown = driver.execute_script(
            "return [getComputedStyle(document.querySelector('.gb-tools')).display,"
            " getComputedStyle(document.querySelector('.gb-print-only')).display]")
        assert shown == ["none", "block"]
        assert "T/SYN 001—2025" in driver.find_element("css selector", ".gb-print-only").text
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    open_page(driver, url_of("green-logistics-enterprise", html_build, synthetic_site))   # in the site's layout
    driver.set_window_size(390, 900)
    try:
        width = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], width            # nothing wider than the phone's screen
        unlabeled = driver.execute_script(
            "return Array.from(document.querySelectorAll('.gb-assess input, .gb-assess select, .gb-assess textarea'))"
            ".filter(function (e) { return !(e.labels && e.labels.length) && !e.closest('label'); })"
            ".map(function (e) { return e.id || e.name; })")
        assert unlabeled == []
    finally:
        driver.set_window_size(1280, 1000)
