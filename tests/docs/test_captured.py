"""The five published pages as captured: nothing differs beyond the spec's allowlist."""

from __future__ import annotations

import pytest

from tests.docs._run import differences, run
from tests.docs.conftest import CAPTURED, NEEDS_CAPTURED, ROOT


@pytest.mark.needs_captured_pages
def test_the_captured_pages_differ_from_the_spec_only_where_it_allows(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert NEEDS_CAPTURED == "needs_captured_pages"
    pages = [p for p in CAPTURED.iterdir() if p.is_file() and not p.name.startswith("README")]
    result = run(capsys, "--spec", str(ROOT / "openapi.yaml"), "--pages", str(CAPTURED))
    assert differences(result.out) == []
    assert result.code == 0
    # Every page was matched to an operation (one of them only by its title).
    assert f"{len(pages)} pages compared ({len(pages)} agree with the spec)" in result.out
