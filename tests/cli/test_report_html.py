"""`report --html`: the page is one self-contained file, and headless Chromium draws its charts.

Chromium is Debian's package (`apt-get install chromium`; `make test` installs it). It opens the
page with every host name resolving to nothing, so no request can leave the machine, and with a
net log, from which the test reads every request the page's own context made: none may be
anything but the file itself. A control page that does reach out shows the check sees it.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from PIL import Image

from respan_evals._summary import Comparison, GroupSummary, Summary, summarize
from respan_evals.cli._context import CliError
from respan_evals.cli._report_html import BASELINE, CURRENT, INSTALL_HINT, write_html

WINDOW = (1200, 900)
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "screenshot-report"


def _scores(slug: str, passed: int, failed: int, values: list[float]) -> list[dict[str, Any]]:
    """`passed + failed` scores of `slug`; a float is a numerical value, a bool a boolean one."""
    field = "boolean_value" if isinstance(values[0], bool) else "numerical_value"
    return [
        {"evaluator_slug": slug, "is_passed": i < passed, field: values[i % len(values)]}
        for i in range(passed + failed)
    ]


def _summaries() -> tuple[Summary, Summary]:
    """Quality rose from 55% to 72% (a real change), and its values moved up; tox did not move."""
    rising = [v / 4 for v in range(1, 13)]  # 0.25 .. 3.0
    falling = [v / 8 for v in range(1, 13)]  # 0.125 .. 1.5
    current = summarize(
        _scores("quality", 72, 28, rising) + _scores("<b>tox</b>ic", 40, 60, [True, False])
    )
    baseline = summarize(
        _scores("quality", 55, 45, falling) + _scores("<b>tox</b>ic", 41, 59, [False, True])
    )
    return current, baseline


def _comparison(current: Summary, baseline: Summary) -> Comparison:
    return current.compare(baseline)


class _Refs(HTMLParser):
    """Every tag, and every attribute that could make the browser fetch something."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.refs += [v or "" for k, v in attrs if k in {"src", "href", "xlink:href", "srcset"}]


def test_page_is_self_contained_with_a_chart_per_group(tmp_path: Path) -> None:
    current, baseline = _summaries()
    page = tmp_path / "report.html"
    write_html(page, current, _comparison(current, baseline))
    text = page.read_text()
    refs = _Refs()
    refs.feed(text)
    # Two pass-rate charts (one per evaluator) and one histogram (the numerical one).
    assert refs.tags.count("svg") == 3
    assert text.count('class="chart pass-rate"') == 2
    assert text.count('class="chart histogram"') == 1
    assert "script" not in refs.tags and "link" not in refs.tags and "img" not in refs.tags
    assert all(ref.startswith("#") for ref in refs.refs), refs.refs  # in-page ids only
    assert "url(http" not in text and "@import" not in text
    # The evaluator's name is text, never markup; the baseline and the change are shown.
    assert "<b>tox</b>" not in text and "&lt;b&gt;tox&lt;/b&gt;ic" in text
    assert "+17.0 pts" in text and "larger than noise" in text and BASELINE in text
    assert len(text) < 400_000, len(text)


def test_page_without_baseline_shows_only_the_current_set(tmp_path: Path) -> None:
    current, _ = _summaries()
    page = tmp_path / "report.html"
    write_html(page, current, None)
    text = page.read_text()
    assert text.count("<svg") == 3
    assert "baseline" not in text and BASELINE not in text and CURRENT in text


def test_a_group_without_pass_or_fail_has_no_pass_rate_chart(tmp_path: Path) -> None:
    only_text = GroupSummary(("notes",), "text", 5, 0, 0, 5, None, None, None, None, None)
    page = tmp_path / "report.html"
    write_html(page, Summary(("evaluator",), (only_text,)), None)
    text = page.read_text()
    assert "<svg" not in text and "no pass rate" in text


def test_without_matplotlib_the_error_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import now raises ImportError
    current, _ = _summaries()
    with pytest.raises(CliError, match=r"respan-evals\[report\]") as caught:
        write_html(tmp_path / "report.html", current, None)
    assert str(caught.value) == INSTALL_HINT
    assert not (tmp_path / "report.html").exists()


def _load_script() -> ModuleType:
    loader = importlib.machinery.SourceFileLoader("screenshot_report", str(SCRIPT))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def _chromium(page: Path, tmp_path: Path) -> tuple[Image.Image, list[str]]:
    """Screenshot `page`; returns the picture and the URLs the page requested (not file:)."""
    assert shutil.which("chromium"), "needs `chromium` on PATH (`make test` installs Debian's)"
    shot = tmp_path / f"{page.stem}.png"
    requested: list[str] = _load_script().screenshot(page, shot, WINDOW)
    return Image.open(shot).convert("RGB"), requested


def _near(pixel: tuple[int, int, int], colour: str, slack: int = 6) -> bool:
    rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return all(abs(a - b) <= slack for a, b in zip(pixel, rgb, strict=True))


def _colour_counts(picture: Image.Image) -> dict[tuple[int, int, int], int]:
    """How many pixels of each colour an RGB picture has: a few hundred colours to look at
    afterwards, not a million pixels (each one counted all the same)."""
    counts: dict[tuple[int, int, int], int] = {}
    for n, rgb in picture.getcolors(picture.width * picture.height) or []:
        assert isinstance(rgb, tuple)
        r, g, b = rgb
        counts[(r, g, b)] = n
    return counts


def test_chromium_draws_the_charts_and_requests_nothing(tmp_path: Path) -> None:
    current, baseline = _summaries()
    page = tmp_path / "report.html"
    write_html(page, current, _comparison(current, baseline))
    picture, requests = _chromium(page, tmp_path)
    assert picture.size == WINDOW
    assert requests == []
    # The cards sit in the first screen: the charts are drawn there, in both sets' colours,
    # with axes, text and antialiasing making many more colours than a blank page has.
    cards = picture.crop((0, 60, WINDOW[0], WINDOW[1]))
    colours = _colour_counts(cards)
    assert len(colours) > 50, len(colours)
    assert sum(n for rgb, n in colours.items() if _near(rgb, CURRENT)) > 2_000
    assert sum(n for rgb, n in colours.items() if _near(rgb, BASELINE)) > 500


def test_the_request_check_sees_a_page_that_reaches_out(tmp_path: Path) -> None:
    page = tmp_path / "leaky.html"
    page.write_text(
        '<p>x</p><img src="http://example.invalid/chart.png">'
        '<link rel="stylesheet" href="https://cdn.example.invalid/plot.css">'
    )
    _, requests = _chromium(page, tmp_path)
    assert set(requests) == {
        "http://example.invalid/chart.png",
        "https://cdn.example.invalid/plot.css",
    }
