"""Run scripts/check-docs in-process on pages and a spec written into a temporary folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.docs import _pages
from tests.docs.conftest import load_script


@dataclass(frozen=True)
class Run:
    """What one run returned and printed; `found` is its `  - ...` difference lines."""

    code: int
    found: list[str]
    out: str
    err: str


def write_spec(folder: Path, text: str = _pages.SPEC, base: str = "http://docs.invalid") -> Path:
    """The test spec, its externalDocs under `base`."""
    path = folder / "openapi.yaml"
    path.write_text(text.replace("{base}", base), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> Run:
    """scripts/check-docs with `args`."""
    code = load_script().main(list(args))
    captured = capsys.readouterr()
    return Run(code, differences(captured.out), captured.out, captured.err)


def check_pages(
    folder: Path,
    capsys: pytest.CaptureFixture[str],
    pages: dict[str, str],
    *args: str,
    spec: str = _pages.SPEC,
) -> Run:
    """Saved `pages` against `spec`, both written under `folder` (made if missing)."""
    saved = folder / "pages"
    saved.mkdir(parents=True)
    for name, text in pages.items():
        (saved / name).write_text(text, encoding="utf-8")
    return run(capsys, "--spec", str(write_spec(folder, spec)), "--pages", str(saved), *args)


def differences(out: str) -> list[str]:
    """The `  - ...` lines of a report."""
    return [line[4:] for line in out.splitlines() if line.startswith("  - ")]
