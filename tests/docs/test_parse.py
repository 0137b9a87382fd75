"""Reading a page: method, path, examples, field lists, errors; what it cannot read is kept."""

from __future__ import annotations

from docs_check.html_text import html_to_text
from docs_check.parse import parse_page

from tests.docs import _pages


def test_the_page_reads_into_method_path_fields_errors_and_examples() -> None:
    page = parse_page(_pages.CREATE, "create.txt")
    assert (page.method, page.path) == ("POST", "/api/labels/")
    assert page.request is not None and page.response is not None
    assert [(f.name, f.typed.words(), f.required) for f in page.request] == [
        ("name", "string", True),
        ("color", "string or null", False),
        ("weight", "double", False),
        ("tags", "list of strings", False),
        ("kind", "enum", False),
        ("settings", "map from strings to any", False),
    ]
    assert [f.name for f in page.response][-2:] == ["created_at", "meta"]
    assert page.errors == [(400, "Bad Request Error"), (401, "Unauthorized Error")]
    assert page.example_request == {
        "name": "urgent", "color": "#ff0000", "weight": 2.5, "tags": ["triage"]
    }  # fmt: skip
    assert page.example_response["meta"] == {"source": "ui"}
    assert page.unreadable == []


def test_descriptions_may_span_lines_and_fields_may_have_none() -> None:
    page = parse_page(_pages.CREATE, "create.txt")
    assert page.request is not None
    described = {f.name: f.description for f in page.request}
    assert described["name"] == (
        "Display name of the label. It is shown on every item that carries the label."
    )
    assert described["color"] == ""
    assert described["weight"] == "Sort weight."


def test_navigation_and_footer_are_not_read_as_content() -> None:
    # The navigation prints every method run into its title (`DELDelete a label`), and the
    # footer repeats the description after the errors: neither is a method, field or error.
    page = parse_page(_pages.CREATE, "create.txt")
    assert page.method == "POST"
    assert page.errors is not None and len(page.errors) == 2
    assert page.unreadable == []


def test_path_parameters_keep_their_names() -> None:
    page = parse_page(_pages.RETRIEVE, "retrieve.txt")
    assert page.path == "/api/labels/{label_id}/"
    assert page.path_params is not None and [f.name for f in page.path_params] == ["label_id"]
    assert page.request is None and not page.has_example_request


def test_a_line_it_cannot_read_is_reported_with_its_number() -> None:
    text = _pages.CREATE.replace("weightdoubleOptional", "weightdecimalOptional")
    page = parse_page(text, "create.txt")
    [bad] = page.unreadable
    assert bad.text == "weightdecimalOptional"
    assert text.splitlines()[bad.line - 1] == "weightdecimalOptional"
    assert "type" in bad.why


def test_an_errors_line_that_is_no_status_is_reported() -> None:
    text = _pages.CREATE.replace("401\nUnauthorized Error", "401 Unauthorized Error")
    page = parse_page(text, "create.txt")
    assert [u.text for u in page.unreadable] == ["401 Unauthorized Error"]


def test_an_example_that_is_not_json_is_reported() -> None:
    text = _pages.CREATE.replace('5 "weight": 2.5,', '5 "weight": 2.5')
    page = parse_page(text, "create.txt")
    assert [u.why.split(" (")[0] for u in page.unreadable] == ["the numbered example is not JSON"]


def test_html_renders_to_the_same_lines() -> None:
    html = (
        "<!DOCTYPE html><html><head><title>x</title><script>var a = 1;</script></head><body>"
        "<nav><ul><li><span>POST</span><span>Create a label</span></li></ul></nav>"
        "<h1>Create a label</h1><div>POST</div><div>https://api.example.test/api/labels/</div>"
        "<h3>Request</h3><div><span>name</span><span>string</span><span>Required</span></div>"
        "<p>Display name.</p><h3>Errors</h3><div>400</div><div>Bad Request Error</div>"
        "</body></html>"
    )
    text = html_to_text(html)
    assert "var a" not in text
    assert "POSTCreate a label" in text.splitlines()
    page = parse_page(text, "page.html")
    assert (page.method, page.path) == ("POST", "/api/labels/")
    assert page.request is not None and page.request[0].name == "name"
    assert page.errors == [(400, "Bad Request Error")]


def test_an_enums_allowed_values_are_read_as_its_description() -> None:
    text = _pages.CREATE.replace(
        "kindenumOptional\nAllowed values:\n",
        "kindenumOptional\nAllowed values:\nmanual\nautomatic\n",
    )
    page = parse_page(text, "create.txt")
    assert page.unreadable == []
    assert page.request is not None
    kind = next(f for f in page.request if f.name == "kind")
    assert kind.description == "Allowed values: manual automatic"
    assert [f.name for f in page.request][-1] == "settings"
