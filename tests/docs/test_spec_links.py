"""openapi.yaml itself: every operation names its reference page; its allowlist is well-formed."""

from __future__ import annotations

from urllib.parse import urlsplit

from docs_check.spec_model import load_spec, operations

from tests.docs.conftest import ROOT


def test_every_operation_names_its_reference_page() -> None:
    ops = operations(load_spec(ROOT / "openapi.yaml"))  # a malformed allowlist raises here
    assert ops
    missing = [op.op_id for op in ops if not op.docs_url]
    assert missing == []
    for op in ops:
        assert op.docs_url is not None
        address = urlsplit(op.docs_url)
        assert (address.scheme, address.hostname) == ("https", "www.respan.ai"), op.op_id
    urls = [op.docs_url for op in ops]
    assert len(set(urls)) == len(urls), "two operations name the same page"
