"""The advice page in a real headless browser: the chart and the tables render, hostile
text stays text, and the page is not blank.

Needs Debian's `chromium`; skipped, saying so, where no Chromium binary exists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from browser import Browser, chromium, dump_dom, png_pixels
from conftest import REPO, Run

BINARY = chromium()
pytestmark = pytest.mark.skipif(
    BINARY is None, reason="no chromium binary (apt-get install chromium; .ci/run does)"
)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from clearance.cli.main import main

    out = tmp_path_factory.mktemp("advice") / "advice.html"
    cases = REPO / "tests" / "advise_cases"
    code = main(["advise", str(cases / "healthcare"), str(cases / "support"), "--format", "html",
                 "--output", str(out)])  # fmt: skip
    assert code == 0
    return out


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    assert BINARY is not None
    b = Browser(BINARY, tmp_path_factory.mktemp("profile"), width=1280, height=1400)
    yield b
    b.close()


def test_dom_has_a_chart_with_break_even_and_current_volume(page: Path, tmp_path: Path) -> None:
    assert BINARY is not None
    dom = dump_dom(BINARY, page.as_uri(), tmp_path / "profile")
    assert dom.count("<svg") == 1  # the support platform has no compliant API: no chart
    assert "break-even" in dom and "current 40M/day" in dom
    assert "No cost chart" in dom
    assert dom.count("<tr>") > 20


def test_page_is_self_contained(page: Path) -> None:
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in html


def test_hostile_text_stays_text(
    write: Callable[[str, str], Path], run: Callable[..., Run], tmp_path: Path
) -> None:
    path = write(
        "model-usage.yaml",
        """
        version: 1
        system: "<script>alert(1)</script>"
        workloads:
          - id: x-script
            description: "<img src=x onerror=alert(1)>"
            data: [internal]
            commercial: false
            model: openai/gpt-4o
            deployment: {mode: api, provider: openai, region: us}
        """,
    )
    out = tmp_path / "a.html"
    assert run("advise", path, "--format", "html", "--output", out).code == 0
    assert "<script>" not in out.read_text(encoding="utf-8")


def test_screenshot_is_not_blank(page: Path, browser: Browser, tmp_path: Path) -> None:
    browser.open(page.as_uri())
    png = browser.screenshot()
    (tmp_path / "advice.png").write_bytes(png)
    width, height, rows = png_pixels(png)
    assert (width, height) == (1280, 1400)
    bpp = len(rows[0]) // width
    pixels = [row[x : x + 3] for row in rows[::4] for x in range(0, len(row), bpp * 4)]
    colours = set(pixels)
    background = max(colours, key=pixels.count)
    inked = sum(p != background for p in pixels) / len(pixels)
    assert len(colours) > 20
    assert 0.02 < inked < 0.9
    # the chart's lines are drawn: the API line's blue and the self-hosted line's amber
    assert any(p[2] > 180 and p[0] < 60 and p[1] < 140 for p in colours)
    assert any(p[0] > 160 and p[1] > 110 and p[2] < 60 for p in colours)
