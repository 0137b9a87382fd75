"""How cassettes are written and matched: redaction, URL rewriting, the JSON body matcher,
the readable YAML format, and the scan for anything that looks like a key.

Every hook here is idempotent: vcrpy runs `before_record_request/response` again on
interactions it loads from a cassette, and on each live request before matching it.
"""

from __future__ import annotations

import contextlib
import copy
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import vcr
import yaml
from vcr.request import Request

from respan_evals.testing._spec import parse_yaml

__all__ = [
    "AUTH_PLACEHOLDER",
    "MATCH_ON",
    "PLACEHOLDER_KEY",
    "ReadableYAML",
    "Rewriter",
    "json_body",
    "make_vcr",
    "pretty_json",
    "secrets_in",
]

PLACEHOLDER_KEY = "<RESPAN_API_KEY>"
AUTH_PLACEHOLDER = f"Bearer {PLACEHOLDER_KEY}"
# Only these headers are kept (allow-list): everything else (cookies, other auth headers,
# dates, server names, request ids, the client's version in User-Agent) is dropped.
REQUEST_HEADERS = ("Authorization", "Content-Type", "Accept")
RESPONSE_HEADERS = ("Content-Type", "Retry-After")


class Rewriter:
    """Makes interactions look as if they were made to https://api.respan.ai with the
    placeholder key: `replacements` (old -> new) are applied to URIs and bodies, e.g. the
    emulator's http://127.0.0.1:PORT -> https://api.respan.ai, or a live log id -> its
    placeholder; JSON bodies are re-indented so cassette diffs read field by field."""

    def __init__(self, replacements: Mapping[str, str] | None = None) -> None:
        # Longest first, so that a base URL is replaced before any shorter string inside it.
        self.replacements = sorted((replacements or {}).items(), key=lambda kv: -len(kv[0]))

    def text(self, value: str) -> str:
        for old, new in self.replacements:
            value = value.replace(old, new)
        return value

    def body(self, body: bytes | str | None) -> bytes:
        if body is None:
            return b""
        text = body.decode("utf-8") if isinstance(body, bytes) else body
        text = self.text(text)
        try:
            parsed = json.loads(text)
        except ValueError:
            return text.encode("utf-8")
        return pretty_json(parsed).encode("utf-8")

    def request(self, request: Request) -> Request:
        request = copy.deepcopy(request)
        request.uri = self.text(request.uri)
        kept = {}
        for name in REQUEST_HEADERS:
            value = _header(request.headers, name)
            if value is not None:
                kept[name] = AUTH_PLACEHOLDER if name == "Authorization" else value
        request.headers = kept
        request.body = self.body(request.body) or None
        return request

    def response(self, response: dict[str, Any]) -> dict[str, Any]:
        headers = response.get("headers") or {}
        kept: dict[str, list[str]] = {}
        for name in RESPONSE_HEADERS:
            value = _header(headers, name)
            if value is not None:
                kept[name] = [value]
        response["headers"] = kept
        body = response.get("body") or {}
        response["body"] = {"string": self.body(body.get("string"))}
        return response


def pretty_json(value: object) -> str:
    """JSON as the cassettes store it: two-space indent, keys in the order they came."""
    return json.dumps(value, indent=2, ensure_ascii=False)


def _header(headers: Mapping[str, Any], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name.lower():
            if isinstance(value, list | tuple):
                value = value[0] if value else ""
            return value.decode("latin-1") if isinstance(value, bytes) else str(value)
    return None


def json_body(r1: Request, r2: Request) -> None:
    """vcrpy matcher: bodies equal as JSON (key order and whitespace ignored), else as bytes."""
    b1, b2 = r1.body or b"", r2.body or b""
    try:
        same = json.loads(b1) == json.loads(b2) if b1 and b2 else b1 == b2
    except ValueError:
        same = b1 == b2
    if not same:
        raise AssertionError(f"body {_short(b1)} != recorded {_short(b2)}")


def _short(body: bytes | str) -> str:
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    with contextlib.suppress(ValueError):
        text = json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"))
    return text if len(text) <= 400 else text[:400] + "..."


# ---- the cassette format: YAML, multi-line strings (the JSON bodies) as literal blocks ------
class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


class ReadableYAML:
    """A vcrpy serializer: plain YAML with bodies as readable blocks (read safely, by libyaml)."""

    @staticmethod
    def serialize(cassette_dict: dict[str, Any]) -> str:
        return yaml.dump(
            cassette_dict, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100
        )

    @staticmethod
    def deserialize(cassette_string: str) -> Any:
        return parse_yaml(cassette_string)  # every replay reads one: the C loader, not Python's


MATCH_ON = ("method", "path", "query", "json_body")


def make_vcr(rewriter: Rewriter, cassette_dir: Path) -> vcr.VCR:
    v = vcr.VCR(
        cassette_library_dir=str(cassette_dir),
        serializer="readable_yaml",
        match_on=MATCH_ON,
        before_record_request=rewriter.request,
        before_record_response=rewriter.response,
        decode_compressed_response=True,
    )
    v.register_serializer("readable_yaml", ReadableYAML)
    v.register_matcher("json_body", json_body)
    return v


# ---- the secret scan -------------------------------------------------------------------------
_KEY_PATTERNS: Sequence[tuple[str, re.Pattern[str]]] = (
    ("an sk_ token", re.compile(r"(?<![A-Za-z0-9])sk_[A-Za-z0-9_\-]{4,}")),
    (
        "a Bearer credential other than the placeholder",
        re.compile(r"Bearer(?!\s+" + re.escape(PLACEHOLDER_KEY) + r"(?![^\s'\"]))\s+\S+"),
    ),
    ("a cookie header", re.compile(r"^\s*['\"]?(set-)?cookie['\"]?\s*:", re.I | re.M)),
    (
        "an API key header",
        re.compile(r"^\s*['\"]?(x-api-key|api-key|proxy-authorization)['\"]?\s*:", re.I | re.M),
    ),
)


def secrets_in(text: str, known_keys: Iterable[str] = ()) -> list[str]:
    """What in a cassette's text looks like a credential (empty when clean)."""
    found = []
    for key in known_keys:
        if key and key != PLACEHOLDER_KEY and key in text:
            found.append(f"the recording key itself ({key[:6]}...)")
    for what, pattern in _KEY_PATTERNS:
        match = pattern.search(text)
        if match:
            found.append(f"{what}: {match.group(0)[:12]}...")
    return found
