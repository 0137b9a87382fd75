"""Each kind of difference between a page and the spec, reported alone; the allowlist; exits."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.docs import _pages
from tests.docs._run import Run, check_pages

Capture = pytest.CaptureFixture[str]


def test_pages_that_agree_with_the_spec_report_nothing(tmp_path: Path, capsys: Capture) -> None:
    result = check_pages(tmp_path, capsys, {"a.txt": _pages.CREATE, "b.txt": _pages.RETRIEVE})
    assert (result.code, result.found) == (0, [])
    assert "2 pages compared (2 agree with the spec), 0 differences" in result.out


# One edit of the create page each, and the one difference it must produce.
KINDS = {
    "field on the page only": (
        ("weightdoubleOptional", "weightdoubleOptional\npinnedbooleanOptional"),
        "request field pinned: on the page (`boolean`), not in the spec",
    ),
    "field in the spec only": (
        ("metamap from strings to strings\n", ""),
        "response field meta: in the spec, not on the page",
    ),
    "type": (
        ("weightdoubleOptional", "weightintegerOptional"),
        "request field weight: type `integer` on the page, `double` in the spec",
    ),
    "nullability": (
        ("tagslist of strings or null\n", "tagslist of strings\n"),
        "response field tags: not nullable on the page, nullable in the spec",
    ),
    "required-ness": (
        ("colorstring or nullOptional", "colorstring or nullRequired"),
        "request field color: required on the page, optional in the spec",
    ),
    "error status": (
        ("401\nUnauthorized Error\n", "401\nUnauthorized Error\n422\nUnprocessable Entity Error\n"),
        "error 422 (Unprocessable Entity Error): on the page, not in the spec",
    ),
    "request example": (
        ('> "weight": 2.5,', '> "weight": 3,'),
        "request example: differs from the spec's `docs`: $.weight: page 3, spec 2.5",
    ),
    "response example": (
        ('12 "source": "ui"', '12 "source": "api"'),
        'response example: differs from the spec\'s `201 docs`: $.meta.source: page "api", '
        'spec "ui"',
    ),
}


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_difference_is_reported_alone(
    kind: str, tmp_path: Path, capsys: Capture
) -> None:
    (old, new), expected = KINDS[kind]
    assert _pages.CREATE.count(old) == 1
    result = check_pages(tmp_path, capsys, {"page.txt": _pages.CREATE.replace(old, new)})
    assert (result.code, result.found) == (1, [expected])


def test_a_page_matching_no_operation_is_reported(tmp_path: Path, capsys: Capture) -> None:
    page = _pages.CREATE.replace("/api/labels/", "/api/stickers/")
    result = check_pages(tmp_path, capsys, {"stickers.txt": page})
    assert result.code == 1
    assert (
        "stickers.txt: matches no operation: prints POST /api/stickers/, which is no operation"
        in result.out
    )


def test_the_done_when_page_reports_exactly_its_six_differences(
    tmp_path: Path, capsys: Capture
) -> None:
    page = _pages.CREATE
    for old, new in [
        ("weightdoubleOptional", "weightdoubleOptional\npinnedbooleanOptional"),  # added
        ("metamap from strings to strings\n", ""),  # removed
        ("kindenum\n", "kindstring\n"),  # type changed
        ("tagslist of stringsOptional", "tagslist of stringsRequired"),  # turned required
        ("401\nUnauthorized Error\n", "401\nUnauthorized Error\n409\nConflict Error\n"),
        ('2 "id": "lbl_1",', '2 "id": "lbl_2",'),  # example value changed
    ]:
        assert page.count(old) == 1, old
        page = page.replace(old, new)
    result = check_pages(tmp_path, capsys, {"page.txt": page})
    assert result.code == 1
    assert sorted(result.found) == sorted(
        [
            "request field pinned: on the page (`boolean`), not in the spec",
            "response field meta: in the spec, not on the page",
            "response field kind: type `string` on the page, `enum` in the spec",
            "request field tags: required on the page, optional in the spec",
            "error 409 (Conflict Error): on the page, not in the spec",
            'response example: differs from the spec\'s `201 docs`: $.id: page "lbl_2", '
            'spec "lbl_1"',
        ]
    )


def test_examples_are_compared_by_value_not_by_text(tmp_path: Path, capsys: Capture) -> None:
    # Keys in another order, 2.50 for 2.5, other line breaks: the same JSON value.
    page = _pages.CREATE.replace(
        '> "name": "urgent",\n> "color": "#ff0000",\n> "weight": 2.5,',
        '> "weight": 2.50, "color": "#ff0000",\n> "name": "urgent",',
    )
    assert page != _pages.CREATE
    assert _outcome(check_pages(tmp_path, capsys, {"page.txt": page})) == (0, [])


def test_a_boolean_is_not_the_number_one(tmp_path: Path, capsys: Capture) -> None:
    spec = _pages.SPEC.replace("weight: 2.5, tags", "weight: true, tags")
    page = _pages.CREATE.replace('> "weight": 2.5,', '> "weight": 1,')
    result = check_pages(tmp_path, capsys, {"page.txt": page}, spec=spec)
    assert _outcome(result) == (
        1,
        ["request example: differs from the spec's `docs`: $.weight: page 1, spec true"],
    )


def test_pages_are_matched_by_what_they_print_not_by_file_name(
    tmp_path: Path, capsys: Capture
) -> None:
    pages = {"retrieve-label.txt": _pages.CREATE, "create-label.txt": _pages.RETRIEVE}
    assert _outcome(check_pages(tmp_path, capsys, pages)) == (0, [])


def test_a_page_without_method_and_path_is_matched_by_its_title(
    tmp_path: Path, capsys: Capture
) -> None:
    page = _pages.RETRIEVE.replace(
        "GET\nhttps://api.example.test/api/labels/:label_id/\nGET\n/api/labels/:label_id/\n", ""
    )
    assert "GET" not in page
    broken = page.replace("401\nUnauthorized", "403\nForbidden")
    result = check_pages(tmp_path, capsys, {"page.txt": broken})
    assert _outcome(result) == (1, ["error 403 (Forbidden Error): on the page, not in the spec"])
    assert "matched by its title 'Retrieve a label'" in result.out


def test_two_pages_for_one_operation_are_reported(tmp_path: Path, capsys: Capture) -> None:
    result = check_pages(tmp_path, capsys, {"a.txt": _pages.CREATE, "b.txt": _pages.CREATE})
    assert result.code == 1
    assert "b.txt: matches no operation: a second page for create_label" in result.out


def test_an_unreadable_line_makes_the_check_fail(tmp_path: Path, capsys: Capture) -> None:
    page = _pages.CREATE.replace("weightdoubleOptional", "weightdecimalOptional")
    result = check_pages(tmp_path, capsys, {"page.txt": page})
    assert result.code == 1
    # The entry it could not read is reported, and its field is then missing from the page.
    missing, unread = result.found
    assert missing == "request field weight: in the spec, not on the page"
    assert unread.startswith("line ") and "cannot read 'weightdecimalOptional'" in unread


OP_ALLOW = """\
      x-respan-docs-deviations:
        error 422: Sent by the server on a bad filter; the page does not list it yet.
        response field meta: Only some servers send it.
"""
FIELD_ALLOW = """\
        weight:
          x-respan-docs-deviations:
            type: The SDK sends integers here.
          type: number"""


def test_the_operations_allowlist_silences_exactly_its_entries(
    tmp_path: Path, capsys: Capture
) -> None:
    spec = _pages.SPEC.replace("      requestBody:\n", OP_ALLOW + "      requestBody:\n", 1)
    page = (
        _pages.CREATE.replace("metamap from strings to strings\n", "")
        .replace("401\nUnauthorized Error\n", "401\nUnauthorized Error\n422\nUnprocessable\n")
        .replace("colorstring or nullOptional", "colorstring or nullRequired")
    )
    result = check_pages(tmp_path, capsys, {"page.txt": page}, spec=spec)
    assert _outcome(result) == (
        1,
        ["request field color: required on the page, optional in the spec"],
    )
    assert "(2 known deviations allowed; --show-allowed lists them)" in result.out


def test_a_fields_allowlist_entry_covers_that_kind_only(tmp_path: Path, capsys: Capture) -> None:
    spec = _pages.SPEC.replace("        weight: {type: number}", FIELD_ALLOW, 1)
    assert spec != _pages.SPEC
    page = _pages.CREATE.replace("weightdoubleOptional", "weightintegerOptional")
    assert _outcome(check_pages(tmp_path, capsys, {"page.txt": page}, spec=spec)) == (0, [])
    page = page.replace("weightintegerOptional", "weightintegerRequired")
    result = check_pages(tmp_path / "required", capsys, {"page.txt": page}, spec=spec)
    assert _outcome(result) == (
        1,
        ["request field weight: required on the page, optional in the spec"],
    )


def test_show_allowed_lists_each_allowed_difference_with_its_reason(
    tmp_path: Path, capsys: Capture
) -> None:
    spec = _pages.SPEC.replace("        weight: {type: number}", FIELD_ALLOW, 1)
    page = _pages.CREATE.replace("weightdoubleOptional", "weightintegerOptional")
    result = check_pages(tmp_path, capsys, {"page.txt": page}, "--show-allowed", spec=spec)
    assert result.code == 0
    assert "allowed: request field weight: type `integer` on the page" in result.out
    assert "because: The SDK sends integers here." in result.out


@pytest.mark.parametrize(
    "entry",
    [
        "          x-respan-docs-deviations: {colour: a typo of a kind}\n",
        "          x-respan-docs-deviations: {type: ''}\n",
        "          x-respan-docs-deviations: [type]\n",
    ],
)
def test_a_malformed_allowlist_entry_is_a_usage_error(
    entry: str, tmp_path: Path, capsys: Capture
) -> None:
    spec = _pages.SPEC.replace(
        "        weight: {type: number}", "        weight:\n" + entry + "          type: number", 1
    )
    result = check_pages(tmp_path, capsys, {"page.txt": _pages.CREATE}, spec=spec)
    assert result.code == 2
    assert "create_label: field weight: x-respan-docs-deviations must map" in result.err


def _outcome(result: Run) -> tuple[int, list[str]]:
    return result.code, result.found
