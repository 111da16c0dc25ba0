"""The built site in headless Chromium: Chinese search, accessibility (axe-core), the phone layout.

One browser session for the module; the site is served from the session's HTML build on
the loopback interface. axe-core comes from the npm package pinned in package.json
(`npm ci` installs it; the fixture runs it when node_modules/ lacks it) and is injected
into each page by the test — the site itself loads nothing from outside.
"""
from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

os.environ.setdefault("SE_OFFLINE", "true")   # Selenium Manager never downloads a driver
webdriver = pytest.importorskip("selenium.webdriver", reason="pip install -e '.[test]' installs selenium")
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def _axe_source() -> str:
    if not AXE.exists():
        npm = shutil.which("npm")
        assert npm, "npm is missing: scripts/ensure-system-deps.sh installs it"
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--silent"], cwd=ROOT, check=True)
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def site(html_build):
    out, result = html_build
    assert result.returncode == 0, result.stderr
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield out, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def browser():
    chromedriver = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    assert Path(chromedriver).exists(), "chromedriver is missing: scripts/ensure-system-deps.sh installs it"
    options = Options()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--window-size=1280,1000"):
        options.add_argument(flag)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser")
            if e["level"] == "SEVERE" and "favicon.ico" not in e["message"]]


def _results(driver, base: str, query: str) -> list[str]:
    driver.get(f"{base}search.html?q={query}")
    WebDriverWait(driver, 20).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#search-results > p")
        or d.find_elements(By.CSS_SELECTOR, "#search-results li"))
    WebDriverWait(driver, 20).until(lambda d: "search-progress" not in d.page_source
                                    or not d.find_element(By.ID, "search-progress").text)
    return [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "#search-results li > a")]


def test_chinese_search_finds_the_page_that_holds_a_term(site, browser):
    out, base = site
    # 换算系数 occurs in GB/T 36132 only (A.3 注2), in running text, not in a heading
    sources = [p for p in (ROOT / "standards").glob("*/*.md") if "换算系数" in p.read_text(encoding="utf-8")]
    assert [p.parent.name for p in sources] == ["gbt-36132"]
    hits = _results(browser, base, "换算系数")
    assert hits and all("gbt-36132/standard.html" in h for h in hits), hits
    assert not _errors(browser)
    # a term of several pages finds each of them; a term in no page finds none
    pages = {h.split("#")[0].removeprefix(base) for h in _results(browser, base, "绿色供应链")}
    assert {"green-enterprise/standard.html"} <= pages
    assert _results(browser, base, "量子纠缠") == []


def test_search_box_on_a_page_leads_to_results(site, browser):
    _, base = site
    browser.get(f"{base}green-logistics/standard.html")
    box = browser.find_element(By.ID, "gb-search-input")
    box.send_keys("换算系数")
    box.submit()
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#search-results li > a"))
    assert "gbt-36132/standard.html" in browser.find_element(By.CSS_SELECTOR, "#search-results li > a").get_attribute("href")


def test_no_serious_accessibility_violations_on_any_page(site, browser):
    out, base = site
    axe = _axe_source()
    pages = sorted(str(p.relative_to(out)) for p in out.rglob("*.html"))
    assert "index.html" in pages and "search.html" in pages and len(pages) >= 9
    found = {}
    for name in pages:
        browser.get(base + name)
        browser.execute_script(axe)
        result = browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']}).then(r => done(JSON.stringify(r.violations)))"
            ".catch(e => done(JSON.stringify([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}])));")
        serious = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
                   for v in json.loads(result) if v["impact"] in ("serious", "critical")]
        if serious:
            found[name] = serious
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


def test_phone_width_tables_scroll_inside_their_box(site, browser):
    _, base = site
    browser.set_window_size(390, 844)
    try:
        browser.get(f"{base}green-logistics/standard.html")
        metrics = browser.execute_script("""
            const page = document.documentElement;
            const boxes = [...document.querySelectorAll('.gb-table-scroll')].map(box => {
              const table = box.querySelector('table');
              const cells = [...table.querySelectorAll('td.gb-col-criteria')];
              return {caption: table.caption ? table.caption.textContent : '',
                      boxHeight: box.getBoundingClientRect().height,
                      tableHeight: table.getBoundingClientRect().height,
                      narrowest: Math.min(...cells.map(c => c.getBoundingClientRect().width))};
            });
            return {pageWidth: page.scrollWidth, viewport: window.innerWidth,
                    viewportHeight: window.innerHeight, boxes: boxes};""")
        assert metrics["pageWidth"] <= metrics["viewport"]        # nothing overflows the page sideways
        e1 = next(b for b in metrics["boxes"] if b["caption"].startswith("表E.1"))
        assert e1["boxHeight"] <= metrics["viewportHeight"]      # the table scrolls in its box
        assert e1["narrowest"] >= 150                             # 评分标准 is not squeezed to a few characters
        browser.get(f"{base}index.html")
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
    finally:
        browser.set_window_size(1280, 1000)
