"""A reference page's text (as rendered, or its markdown variant) read into a Page."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from docs_check.page import Page, PageField, Unreadable
from docs_check.vocabulary import looks_like_field, parse_field_line

METHODS = {"GET": "GET", "POST": "POST", "PUT": "PUT", "PATCH": "PATCH", "DELETE": "DELETE"}
METHODS["DEL"] = "DELETE"  # the navigation's abbreviation, in case a page prints it too
# Section headings, each alone on its line next to a blank one.
FIELD_SECTIONS = {
    "Path parameters": "path_params",
    "Query parameters": "query_params",
    "Headers": "headers",
    "Request": "request",
    "Response": "response",
}
ERRORS = "Errors"
ALLOWED_VALUES = "Allowed values:"
_CURL = re.compile(r"^\$?\s*curl\b")
_DATA = re.compile(r"(?:-d|--data(?:-raw|-binary)?)\s+'(.*)'\s*$", re.S)
_STATUS = re.compile(r"\d{3}")
_PATH_PARAM = re.compile(r":([A-Za-z_][A-Za-z0-9_]*)")


def parse_page(text: str, source: str) -> Page:
    """Read `text`: method, path, examples, field lists and errors; unreadable lines noted."""
    lines = [line.rstrip() for line in text.splitlines()]
    page = Page(source=source)
    headings = _headings(lines)
    first_heading = headings[0][0] if headings else len(lines)
    _read_method_and_path(lines[:first_heading], page)
    _read_curl(lines[:first_heading], page)
    _read_numbered_example(lines[:first_heading], page)
    page.candidate_titles = [line.strip() for line in lines[:first_heading] if line.strip()]
    for number, (start, name) in enumerate(headings):
        end = headings[number + 1][0] if number + 1 < len(headings) else len(lines)
        body = list(enumerate(lines[start + 1 : end], start=start + 2))
        if name == ERRORS:
            page.errors = _read_errors(body, page)
        else:
            setattr(page, FIELD_SECTIONS[name], _read_fields(body, page))
    return page


def _headings(lines: list[str]) -> list[tuple[int, str]]:
    found = []
    for index, line in enumerate(lines):
        name = line.strip()
        if name not in FIELD_SECTIONS and name != ERRORS:
            continue
        before = index == 0 or not lines[index - 1].strip()
        after = index + 1 >= len(lines) or not lines[index + 1].strip()
        if before or after:
            found.append((index, name))
    return found


def api_path(url_or_path: str) -> str:
    """`https://api.respan.ai/api/scores/:id/` as `/api/scores/{id}/`."""
    path = urlsplit(url_or_path).path if "://" in url_or_path else url_or_path
    return _PATH_PARAM.sub(lambda match: "{" + match.group(1) + "}", path)


def _read_method_and_path(lines: list[str], page: Page) -> None:
    # The page prints the method on its own line and the URL (then the path) on the next.
    for index, line in enumerate(lines[:-1]):
        method = METHODS.get(line.strip())
        target = lines[index + 1].strip()
        if method is None or not (target.startswith("https://") or target.startswith("/")):
            continue
        path = api_path(target)
        if page.method is None:
            page.method, page.path = method, path
        elif (method, path) != (page.method, page.path):
            page.unreadable.append(
                Unreadable(
                    index + 1,
                    f"{line.strip()} {target}",
                    f"a second method and path, unlike {page.method} {page.path} above",
                )
            )


def _read_curl(lines: list[str], page: Page) -> None:
    for index, line in enumerate(lines):
        if not _CURL.match(line):
            continue
        command = [line]
        for follow in lines[index + 1 :]:
            if not follow.startswith(">"):
                break
            command.append(follow[1:].lstrip(" ") if follow.startswith("> ") else follow[1:])
        match = _DATA.search("\n".join(command))
        if match is None:
            return
        page.has_example_request = True
        try:
            page.example_request = json.loads(match.group(1))
        except json.JSONDecodeError as error:
            page.unreadable.append(
                Unreadable(index + 1, line, f"the curl example's body is not JSON ({error.msg})")
            )
        return


def _read_numbered_example(lines: list[str], page: Page) -> None:
    # The example response, one numbered line each: `1{`, `2 "id": ...`, ..., `26}`.
    for index, line in enumerate(lines):
        if line not in ("1{", "1["):
            continue
        body = []
        number = 1
        for follow in lines[index:]:
            prefix = str(number)
            if not follow.startswith(prefix):
                break
            body.append(follow[len(prefix) :])
            number += 1
        page.has_example_response = True
        try:
            page.example_response = json.loads("\n".join(body))
        except json.JSONDecodeError as error:
            page.unreadable.append(
                Unreadable(index + 1, line, f"the numbered example is not JSON ({error.msg})")
            )
        return


def _read_fields(body: list[tuple[int, str]], page: Page) -> list[PageField]:
    fields: list[PageField] = []
    description: list[str] = []

    def close() -> None:
        if fields and description:
            last = fields[-1]
            fields[-1] = PageField(
                name=last.name,
                typed=last.typed,
                required=last.required,
                line=last.line,
                description=" ".join(description),
            )
        description.clear()

    listing_values = False  # after `Allowed values:`, the enum's values, one word each
    for number, line in body:
        text = line.strip()
        if not text:
            continue
        entry = parse_field_line(text)
        if entry is not None:
            close()
            listing_values = False
            fields.append(PageField(entry.name, entry.typed, entry.required, number))
        elif text.startswith(ALLOWED_VALUES) or listing_values:
            listing_values = True
            description.append(text)
        elif looks_like_field(text):
            page.unreadable.append(
                Unreadable(number, text, "looks like a field entry but its type is not one I know")
            )
        else:
            # A description (of the field above, or of the section before any field);
            # they may run over several lines.
            description.append(text)
    close()
    return fields


def _read_errors(body: list[tuple[int, str]], page: Page) -> list[tuple[int, str]]:
    errors: list[tuple[int, str]] = []
    pending: int | None = None
    blank = False
    for number, line in body:
        text = line.strip()
        if not text:
            blank = True
            continue
        if pending is not None:
            errors.append((pending, text))
            pending = None
        elif _STATUS.fullmatch(text):
            pending = int(text)
        elif errors and (blank or _sentence(text)):
            # Past the list: the page's closing text (a repeat of its description), not errors.
            break
        else:
            page.unreadable.append(
                Unreadable(number, text, "in Errors, neither a status code nor its name")
            )
        blank = False
    if pending is not None:
        page.unreadable.append(Unreadable(body[-1][0], str(pending), "a status with no name"))
    return errors


def _sentence(text: str) -> bool:
    """Prose rather than an error's name (`Bad Request Error`): a full stop, or many words."""
    return text.endswith(".") or len(text.split()) > 6
