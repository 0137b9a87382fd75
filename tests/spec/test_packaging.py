"""What a wheel holds (from pyproject.toml: the dev venv has no hatchling, and tests stay offline),
the README it embeds, and the install and completion commands that README gives."""

from __future__ import annotations

import fnmatch
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
REPO_URL = "https://github.com/respan-evals/respan-evals"
# PEP 639's default license-files, which hatchling applies when pyproject.toml names none: the
# matches go into the wheel's .dist-info/licenses/ (checked by hand on a built wheel).
DEFAULT_LICENSE_FILES = ("LICEN[CS]E*", "COPYING*", "NOTICE*", "AUTHORS*")


@pytest.fixture(scope="module")
def pyproject() -> dict[str, Any]:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)


@pytest.fixture(scope="module")
def readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def _targets(pyproject: dict[str, Any], name: str) -> dict[str, Any]:
    targets: dict[str, Any] = pyproject["tool"]["hatch"]["build"]["targets"][name]
    return targets


def test_the_license_is_mit_as_the_metadata_says(pyproject: dict[str, Any]) -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 respan-evals contributors" in text
    assert 'THE SOFTWARE IS PROVIDED "AS IS"' in text
    assert pyproject["project"]["license"] == "MIT"
    assert pyproject["project"]["authors"] == [{"name": "respan-evals contributors"}]


def test_the_wheel_and_the_sdist_take_the_license(pyproject: dict[str, Any]) -> None:
    patterns = pyproject["project"].get("license-files", DEFAULT_LICENSE_FILES)
    assert any(fnmatch.fnmatchcase("LICENSE", p) for p in patterns)
    assert "LICENSE" in _targets(pyproject, "sdist")["include"]
    assert not any(
        fnmatch.fnmatchcase("LICENSE", p) for p in _targets(pyproject, "wheel").get("exclude", [])
    )


def test_the_wheel_has_both_packages_and_the_spec(pyproject: dict[str, Any]) -> None:
    wheel = _targets(pyproject, "wheel")
    assert sorted(wheel["packages"]) == ["facade/respan_evals", "generated/respan_evals_api"]
    for package in wheel["packages"]:
        assert (ROOT / package / "__init__.py").is_file()
        assert (ROOT / package / "py.typed").is_file()  # typed, for mypy in users' projects
    assert (ROOT / "generated/respan_evals_api/resources/__init__.py").is_file()
    assert (ROOT / "generated/respan_evals_api/facts.py").is_file()
    # The emulator's spec: in the tree a symlink (which wheels skip), so the file itself goes in,
    # where spec_path_default() looks for it.
    link = ROOT / "facade/respan_evals/testing/openapi.yaml"
    assert link.is_symlink() and link.resolve() == (ROOT / "openapi.yaml").resolve()
    assert wheel["force-include"] == {"openapi.yaml": "respan_evals/testing/openapi.yaml"}
    assert (ROOT / "openapi.yaml").is_file() and not (ROOT / "openapi.yaml").is_symlink()
    sdist = _targets(pyproject, "sdist")["include"]
    assert {"facade", "generated", "openapi.yaml", "README.md"} <= set(sdist)
    assert pyproject["project"]["readme"] == "README.md"


def _links(markdown: str) -> list[str]:
    """Every link target in `markdown` outside code: inline, reference-style and HTML."""
    text = re.sub(r"^```.*?^```", "", markdown, flags=re.S | re.M)
    text = re.sub(r"`[^`\n]*`", "", text)
    inline = re.findall(r"\]\(\s*<?([^)\s>]+)", text)
    reference = re.findall(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", text, flags=re.M)
    html = re.findall(r"""(?:href|src)\s*=\s*["']([^"']+)""", text)
    return [*inline, *reference, *html]


def test_links_finds_every_kind() -> None:
    sample = (
        "[a](docs/a.md) ![b](<img.png>) `[not](code.md)`\n"
        "```\n[nor](fenced.md)\n```\n"
        '[c]: https://example.com/c\n<a href="rel.html">d</a>\n'
    )
    assert _links(sample) == ["docs/a.md", "img.png", "https://example.com/c", "rel.html"]


def test_the_readme_has_only_absolute_links(readme: str) -> None:
    """The README is the wheel's long description: on an index a relative link leads nowhere."""
    links = _links(readme)
    assert links, "no links found: _links() is broken"
    relative = [link for link in links if not link.startswith("https://")]
    assert not relative, f"README.md links that only work in a checkout: {relative}"
    for link in links:
        match = re.match(re.escape(REPO_URL) + r"/(?:blob|tree)/main/([^#?]+)", link)
        if match:
            assert (ROOT / match[1]).exists(), f"README.md links to a missing file: {link}"


def test_the_readme_says_how_to_install_without_an_index(
    readme: str, pyproject: dict[str, Any]
) -> None:
    assert pyproject["project"]["urls"]["Source"] == REPO_URL
    install = readme.split("\n## Install", 1)[1].split("\n## ", 1)[0]
    assert f"'respan-evals[cli] @ git+{REPO_URL}'" in install  # from git
    assert "pip install '.[cli]'" in install  # from a clone
    assert "pip wheel . --no-deps -w dist/" in install  # a wheel
    assert "LICENSE" in readme


def _complete(env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "respan_evals.cli"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_shell_completion_works_as_documented() -> None:
    for shell in ("bash", "zsh", "fish"):
        script = _complete({"_RESPAN_EVALS_COMPLETE": f"{shell}_source"})
        assert "_respan_evals_completion" in script
    words = {"COMP_WORDS": "respan-evals scores ", "COMP_CWORD": "2"}
    answer = _complete({"_RESPAN_EVALS_COMPLETE": "bash_complete", **words})
    assert answer.split() == ["plain,export", "plain,import"]


def test_the_readme_documents_shell_completion(readme: str) -> None:
    for shell in ("bash", "zsh", "fish"):
        assert f"_RESPAN_EVALS_COMPLETE={shell}_source respan-evals" in readme
