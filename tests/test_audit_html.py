"""The HTML audit report in a real headless browser: rows render, filtering and sorting work,
hostile text stays text, and the page is not blank.

Needs Debian's `chromium` (installed by .ci/run); skipped, saying so, where no
Chromium binary exists.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from audit_repos import TODAY, add_workload, make_repos, organisation_policy
from browser import Browser, chromium, dump_dom, png_pixels
from conftest import Run

BINARY = chromium()
pytestmark = pytest.mark.skipif(
    BINARY is None, reason="no chromium binary (apt-get install chromium; .ci/run does)"
)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from clearance.cli.main import main

    root = tmp_path_factory.mktemp("repos")
    make_repos(root)
    add_workload(root / "gamma")  # its description carries a <script> tag
    page = root.parent / "audit.html"
    policy = str(organisation_policy(root.parent))
    code = main(["audit", str(root), "--today", TODAY, "--progress", "never",
                 "--policy", policy, "--format", f"html={page}"])  # fmt: skip
    assert code == 1
    return page


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    assert BINARY is not None
    b = Browser(BINARY, tmp_path_factory.mktemp("profile"))
    yield b
    b.close()


def visible_rows(dom: str, table: str) -> list[str]:
    body = dom.split(f'id="{table}"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [r for r in re.findall(r"<tr[^>]*>.*?</tr>", body, re.S) if " hidden" not in r[:40]]


def test_dump_dom_shows_every_row_and_honours_a_filter_link(
    report: Path, tmp_path: Path, run: Callable[..., Run]
) -> None:
    assert BINARY is not None
    dom = dump_dom(BINARY, report.as_uri(), tmp_path / "profile")
    assert 'data-ready="true"' in dom  # the script ran: the page's CSP let exactly it through
    assert len(visible_rows(dom, "inventory")) == 13
    assert "<script>alert" not in dom and "&lt;script&gt;alert('hostile')" in dom
    assert "<script>alert" not in report.read_text(encoding="utf-8")
    filtered = dump_dom(BINARY, report.as_uri() + "#inventory=symptom-checker",
                        tmp_path / "profile")  # fmt: skip
    rows = visible_rows(filtered, "inventory")
    assert len(rows) == 1 and "symptom-checker" in rows[0]
    assert "1 of 13 rows match" in filtered


def test_filter_and_sort_like_a_person(report: Path, browser: Browser) -> None:
    browser.open(report.as_uri())
    count = "document.querySelectorAll('#inventory tbody tr:not([hidden])').length"
    assert browser.js(count) == 13
    browser.type_into("#filter-inventory", "violating")
    assert browser.js(count) == 4
    assert browser.js("document.getElementById('count-inventory').textContent") == (
        "4 of 13 rows match"
    )
    browser.type_into("#filter-inventory", " eu-")  # every word must match
    assert browser.js(count) == 1

    browser.open(report.as_uri())
    workloads = ("Array.from(document.querySelectorAll('#inventory tbody tr td:nth-child(2) .mono'))"
                 ".map(span => span.textContent)")  # fmt: skip
    browser.click("#inventory thead th:nth-child(2)")
    ascending = browser.js(workloads)
    assert ascending == sorted(ascending, key=str.lower) and len(ascending) == 13
    assert browser.js("document.querySelector('#inventory th:nth-child(2)')"
                      ".getAttribute('aria-sort')") == "ascending"  # fmt: skip
    browser.click("#inventory thead th:nth-child(2)")
    assert browser.js(workloads) == ascending[::-1]
    browser.click("#waivers thead th:nth-child(7)")  # days left: numbers sort as numbers
    assert browser.js("Array.from(document.querySelectorAll('#waivers tbody td:nth-child(7)'))"
                      ".map(td => td.textContent)") == ["-9", "21"]  # fmt: skip


def test_screenshot_is_not_blank(report: Path, browser: Browser, tmp_path: Path) -> None:
    browser.open(report.as_uri())
    png = browser.screenshot()
    (tmp_path / "audit.png").write_bytes(png)
    width, height, rows = png_pixels(png)
    assert (width, height) == (1280, 1600)
    bpp = len(rows[0]) // width
    pixels = [row[x : x + 3] for row in rows[::8] for x in range(0, len(row), bpp * 8)]
    colours = set(pixels)
    background = max(colours, key=pixels.count)
    inked = sum(p != background for p in pixels) / len(pixels)
    assert len(colours) > 20, "the page rendered in too few colours to be the report"
    assert 0.02 < inked < 0.9, f"{inked:.1%} of the page differs from its background"
    # the status chart's bars are drawn: some pixels are the report's green and red
    assert any(p[1] > 100 and p[0] < 80 and p[2] < 80 for p in colours)
    assert any(p[0] > 170 and p[1] < 80 and p[2] < 80 for p in colours)


EDGES = """Array.from(document.querySelectorAll('%s'))
  .map(cell => [cell.textContent, cell.getBoundingClientRect().left,
                cell.getBoundingClientRect().right])"""


def test_status_is_in_sight_at_1400_pixels(report: Path, browser: Browser, tmp_path: Path) -> None:
    """An officer at a 1400 px wide window finds every workload's status without
    scrolling sideways, and the per-repository summary comes before the inventory."""
    wide = {"width": 1400, "height": 1600, "deviceScaleFactor": 1, "mobile": False}
    browser.send("Emulation.setDeviceMetricsOverride", session=True, **wide)
    try:
        browser.open(report.as_uri())
        png = browser.screenshot()
        (tmp_path / "audit-1400.png").write_bytes(png)
        width, _, _ = png_pixels(png)
        assert width == 1400
        [header] = browser.js(EDGES % "#inventory thead th:first-child")
        statuses = browser.js(EDGES % "#inventory tbody td:first-child")
        repositories = browser.js(EDGES % "#repo-summary tbody td:first-child")
        assert header[0] == "Status" and len(statuses) == 13 and len(repositories) == 4
        assert {text for text, _, _ in statuses} == {"compliant", "violating", "waived"}
        for cell in (header, *statuses, *repositories):  # inside the screenshot, unscrolled
            assert cell[1] >= 0 and cell[2] <= width, cell
        tops = browser.js("['by-repository', 'summary', 'inventory-section']"
                          ".map(id => document.getElementById(id).getBoundingClientRect().top)")  # fmt: skip
        assert tops == sorted(tops)
        headers = browser.js("Array.from(document.querySelectorAll('#inventory thead th'))"
                             ".map(th => th.textContent)")  # fmt: skip
        assert headers[:8] == ["Status", "Workload", "Data", "Model", "Licences", "Provider",
                               "Region", "Commercial"]  # fmt: skip
    finally:
        narrow = {**wide, "width": 1280}
        browser.send("Emulation.setDeviceMetricsOverride", session=True, **narrow)


def test_print_layout_hides_the_controls(report: Path, browser: Browser) -> None:
    browser.open(report.as_uri())
    browser.send("Emulation.setEmulatedMedia", session=True, media="print")
    try:
        shown = browser.js("getComputedStyle(document.getElementById('filter-inventory')).display")
        assert shown == "none"
        assert browser.js("getComputedStyle(document.querySelector('nav')).display") == "none"
        pdf = browser.send("Page.printToPDF", session=True)["data"]
        assert len(pdf) > 10_000
    finally:
        browser.send("Emulation.setEmulatedMedia", session=True, media="")
