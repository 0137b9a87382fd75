"""Hostile Python values and ids thrown at score_log, generated with hypothesis.

Every value either goes out as exactly the one documented field, of the right JSON type, or
raises the facade's validation error with nothing sent. Every id either names exactly one path
segment (the request path is /api/logs/<percent-encoded id>/scores/) or is refused.
"""

from __future__ import annotations

import datetime
import enum
import json
import math
import numbers
import sys
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Any
from urllib.parse import quote

import httpx
import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from respan_evals import Respan, RespanValidationError
from tests import _openapi

from .conftest import SCORE, Recorder

# value type -> field, from the spec itself (not the client's facts).
VALUE_FIELDS = {
    name: entry["field"]
    for name, entry in _openapi.load()["components"]["schemas"]["ScoreValueType"][
        "x-respan-value-types"
    ].items()
}
ALL_FIELDS = sorted(set(VALUE_FIELDS.values()))
EVALUATOR = {"id": "evl_1", "name": "Quality", "type": "llm", "score_value_type": "numerical"}

SETTINGS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# ---- hostile values ---------------------------------------------------------------------------
class Opaque:
    """Something no JSON encoder knows."""


class Level(enum.IntEnum):
    HIGH = 1


class Tagged(str):
    """A str subclass, as ORMs and enums hand out."""


def _self_referencing() -> list[Any]:
    loop: list[Any] = []
    loop.append(loop)
    return loop


json_leaves = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
)
json_values = st.recursive(
    json_leaves,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)
surrogates = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
with_surrogate = st.builds(
    lambda a, s, b: a + s + b, st.text(max_size=4), surrogates, st.text(max_size=4)
)
huge_ints = st.sampled_from([2**63, -(2**63) - 1, 2**64, 10**308, 10**309, -(10**400), 10**4000])
numpy_scalars = st.one_of(
    st.floats().map(np.float64),
    st.floats(width=32).map(np.float32),
    st.floats(width=16).map(np.float16),
    st.integers(-(2**63), 2**63 - 1).map(np.int64),
    st.integers(0, 255).map(np.uint8),
    st.booleans().map(np.bool_),
    st.text(max_size=5).map(np.str_),
    st.binary(max_size=5).map(np.bytes_),
    st.sampled_from(
        [
            np.longdouble("1e4000"),
            np.complex128(1 + 2j),
            np.array(1.5),
            np.array([1.0, 2.0]),
            np.datetime64("2024-05-01"),
            np.float64("nan"),
            np.float32("inf"),
        ]
    ),
)
odd_objects = st.sampled_from(
    [
        None,
        Opaque(),
        object(),
        Ellipsis,
        NotImplemented,
        int,
        datetime.datetime(2024, 5, 1),
        Level.HIGH,
        Tagged("calm"),
        Decimal("NaN"),
        Decimal("-Infinity"),
        Decimal("1e400"),
        Fraction(10**400, 3),
        complex(1, 0),
        _self_referencing(),
        {"a": _self_referencing()},
        {"nested": [Opaque()]},
        {"nan": float("nan")},
        {"np": np.float64("inf")},
        {None: 1, (1, 2): 2},
        {"bytes": b"\xff"},
        [],
        (),
        set(),
        frozenset({"a"}),
        ["a", "a"],
        [["a"]],
        [None],
        "",
        " ",
        "NaN",
        "Infinity",
        '{"a": NaN}',
        "[1,]",
        "null",
        '"\\ud800"',
        "x" * 1_000_000,
        b"\xff\xfe",
        bytearray(b"abc"),
        memoryview(b"abc"),
    ]
)
hostile_values = st.one_of(
    st.booleans(),
    st.integers(),
    huge_ints,
    st.floats(),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.fractions(),
    st.complex_numbers(),
    numpy_scalars,
    st.text(),
    with_surrogate,
    json_values.map(json.dumps),
    st.binary(),
    st.lists(st.text(max_size=3), max_size=4),
    st.tuples(st.text(max_size=3)),
    st.frozensets(st.text(max_size=3), max_size=3),
    st.lists(st.one_of(st.text(max_size=3), st.integers(), st.none()), max_size=3),
    json_values,
    # Non-str keys, including ones JSON spells like a str key beside them ({1: .., "1": ..}).
    st.dictionaries(
        st.one_of(st.integers(), st.none(), st.booleans(), st.sampled_from(["1", "null", "true"])),
        json_leaves,
        max_size=3,
    ),
    odd_objects,
)


def safe_repr(value: object) -> str:
    try:
        text = repr(value)
    except Exception as e:  # e.g. an int with more than 4300 digits
        return f"<{type(value).__name__}: repr failed: {type(e).__name__}>"
    return text if len(text) <= 120 else text[:117] + "..."


# ---- the oracle -------------------------------------------------------------------------------
def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    assert len(keys) == len(set(keys)), f"json_value repeats an object key: {keys}"
    return dict(pairs)


def _reject_constant(name: str) -> Any:
    raise AssertionError(f"json_value holds {name}, which is not JSON")


def _plain(value: Any) -> Any:
    """What JSON makes of a value with str keys: tuples become lists."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return float(value)
    return value


def _str_keys_only(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) for k in value) and all(map(_str_keys_only, value.values()))
    if isinstance(value, list | tuple):
        return all(map(_str_keys_only, value))
    return True


def _is_boolish(value: object) -> bool:
    return isinstance(value, bool | np.bool_)


def check_sent_value(value_type: str, value: Any, body: dict[str, Any]) -> None:
    """The body carries exactly the documented field, of the right type, holding `value`."""
    field = VALUE_FIELDS[value_type]
    present = [name for name in ALL_FIELDS if name in body]
    assert present == [field], f"value fields sent: {present}, expected only {field}"
    sent = body[field]
    if field == "numerical_value":
        assert type(sent) in (int, float), f"numerical_value is a JSON {type(sent).__name__}"
        assert math.isfinite(sent)
        assert not _is_boolish(value), "a bool went out as a number"
        assert isinstance(value, numbers.Real | Decimal)
        assert sent == float(value)
        if value_type == "percentage":
            assert 0 <= sent <= 100
    elif field == "boolean_value":
        assert type(sent) is bool
        assert _is_boolish(value), f"{type(value).__name__} went out as a boolean"
        assert sent == bool(value)
    elif field == "string_value":
        assert type(sent) is str
        assert isinstance(value, str) and sent == value
    elif field == "categorical_value":
        assert isinstance(sent, list) and all(type(v) is str for v in sent)
        if isinstance(value, str):
            assert sent == [value]
        elif isinstance(value, set | frozenset):
            assert sent == sorted(value)
        else:
            assert sent == list(value)
        if value_type == "single_select":
            assert len(sent) == 1
        if value_type == "multi_select":
            assert len(set(sent)) == len(sent)
    else:
        assert type(sent) is str, f"json_value is a JSON {type(sent).__name__}, not a str"
        decoded = json.loads(
            sent, parse_constant=_reject_constant, object_pairs_hook=_no_duplicate_keys
        )
        if isinstance(value, str):
            assert sent == value
        elif _str_keys_only(value):
            assert decoded == _plain(value)


# ---- clients ------------------------------------------------------------------------------------
def _reply(request: httpx.Request) -> httpx.Response:
    if request.url.path.startswith("/api/evaluators/"):
        return httpx.Response(200, json=EVALUATOR)
    return httpx.Response(201 if request.method == "POST" else 200, json=SCORE)


@pytest.fixture(scope="module")
def recorder() -> Iterator[Recorder]:
    yield Recorder(_reply)


@pytest.fixture(scope="module")
def client(recorder: Recorder) -> Iterator[Respan]:
    with recorder.client() as c:
        yield c


def _attempt(recorder: Recorder, call: Any) -> tuple[BaseException | None, list[httpx.Request]]:
    recorder.requests.clear()
    try:
        call()
    except Exception as e:
        return e, list(recorder.requests)
    return None, list(recorder.requests)


def _assert_refused(error: BaseException, sent: list[httpx.Request], what: str) -> None:
    assert isinstance(error, RespanValidationError), (
        f"{what}: {type(error).__name__} escaped instead of RespanValidationError: "
        f"{safe_repr(str(error))}"
    )
    assert not sent, f"{what}: raised {type(error).__name__} but sent {len(sent)} request(s)"


# ---- values -------------------------------------------------------------------------------------
@pytest.mark.parametrize("value_type", list(VALUE_FIELDS))
def test_every_value_goes_out_in_its_field_or_is_refused(
    value_type: str, recorder: Recorder, client: Respan
) -> None:
    @SETTINGS
    @given(value=hostile_values)
    @example(value=True)
    @example(value=np.bool_(False))
    @example(value=1)
    @example(value=float("nan"))
    @example(value=10**400)
    @example(value=[])
    @example(value=None)
    def check(value: Any) -> None:
        error, sent = _attempt(
            recorder,
            lambda: client.score_log("log_1", value, evaluator_id="evl_1", value_type=value_type),
        )
        what = f"{value_type} <- {type(value).__name__} {safe_repr(value)}"
        if error is not None:
            _assert_refused(error, sent, what)
            return
        assert len(sent) == 1, what
        assert sent[0].method == "POST" and sent[0].url.raw_path == b"/api/logs/log_1/scores/"
        try:
            check_sent_value(value_type, value, json.loads(sent[0].content))
        except AssertionError as e:
            raise AssertionError(f"{what}: {e}") from None

    check()


# ---- once facade bugs: each case below escaped as a bare exception or a leak before its fix
# Each input below is kept out of the property test above until its bug is fixed.
def _refused_everywhere(recorder: Recorder, client: Respan, value: Any, types: list[str]) -> None:
    for value_type in types:
        error, sent = _attempt(
            recorder,
            lambda vt=value_type: client.score_log(
                "log_1", value, evaluator_id="evl_1", value_type=vt
            ),
        )
        what = f"{value_type} <- {type(value).__name__} {safe_repr(value)}"
        assert error is not None, f"{what} was sent"
        _assert_refused(error, sent, what)


def test_signaling_nan_is_refused(recorder: Recorder, client: Respan) -> None:
    _refused_everywhere(recorder, client, Decimal("sNaN"), ["numerical", "percentage"])


def test_an_int_too_long_to_print_is_refused(recorder: Recorder, client: Respan) -> None:
    value = 10 ** (sys.get_int_max_str_digits() + 10)
    _refused_everywhere(recorder, client, value, ["numerical", "json", "text", "boolean"])


def test_numpy_bool_is_a_bool(recorder: Recorder, client: Respan) -> None:
    """numpy's bool scalar is taken as a bool by a boolean evaluator, never as 0/1."""
    for value in (np.bool_(True), np.bool_(False)):
        error, sent = _attempt(
            recorder,
            lambda v=value: client.score_log("log_1", v, evaluator_id="e", value_type="boolean"),
        )
        assert error is None, f"np.bool_({bool(value)}) refused for a boolean evaluator: {error}"
        check_sent_value("boolean", value, json.loads(sent[0].content))


def test_json_keys_that_collide_are_refused(recorder: Recorder, client: Respan) -> None:
    for value in ({1: "a", "1": "b"}, {None: 1, "null": 2}, {True: 1, "true": 2}):
        error, sent = _attempt(
            recorder,
            lambda v=value: client.score_log("log_1", v, evaluator_id="e", value_type="json"),
        )
        if error is None:
            check_sent_value("json", value, json.loads(sent[0].content))
        else:
            _assert_refused(error, sent, f"json <- {value!r}")


def test_numpy_bool_is_never_a_number(recorder: Recorder, client: Respan) -> None:
    for value in (np.bool_(True), np.bool_(False)):
        for value_type in ("numerical", "percentage", "json"):
            error, sent = _attempt(
                recorder,
                lambda v=value, vt=value_type: client.score_log(
                    "log_1", v, evaluator_id="e", value_type=vt
                ),
            )
            assert error is not None, f"{value_type} <- np.bool_ was sent: {sent[0].content!r}"
            _assert_refused(error, sent, f"{value_type} <- np.bool_")


# ---- ids in paths -------------------------------------------------------------------------------
path_chars = st.sampled_from(["/", ".", "..", "%2F", "%2e%2e", "?", "#", " ", "\\", ":", "~", "é"])
hostile_ids = st.one_of(
    st.text(max_size=12),
    st.lists(st.one_of(path_chars, st.text(max_size=3)), max_size=5).map("".join),
    with_surrogate,
    st.sampled_from(
        ["", " ", ".", "..", " .. ", "../x", "x/..", "./", "..%2F", "%2E%2E", "a/b", "a?b=1", "#x"]
    ),
    st.sampled_from([None, 1, -1, True, b"log_1", ["log_1"]]),
)


def _expected_path(template: str, *ids: object) -> bytes:
    return template.format(*(quote(str(i), safe="") for i in ids)).encode("ascii")


def _check_path(recorder: Recorder, call: Any, template: str, *ids: Any, requests: int = 1) -> None:
    """`call` sends `requests` requests, the first to `template` filled with the encoded ids,
    or raises RespanValidationError having sent nothing."""
    error, sent = _attempt(recorder, call)
    what = f"{template} with {safe_repr(ids)}"
    if error is not None:
        _assert_refused(error, sent, what)
        return
    assert len(sent) == requests, what
    for i in ids:  # a path parameter is a str (or a non-negative int), never a dot segment
        if isinstance(i, int) and not isinstance(i, bool):
            assert i >= 0, f"{what} was sent"
        else:
            assert isinstance(i, str) and i.strip() not in ("", ".", ".."), f"{what} was sent"
    assert sent[0].url.raw_path == _expected_path(template, *ids), (
        f"{what}: sent to {sent[0].url.raw_path!r}"
    )


@SETTINGS
@given(log_id=hostile_ids)
@example(log_id="..")
@example(log_id="../../api/evaluators")
@example(log_id="log/1")
def test_log_id_names_one_path_segment(log_id: Any) -> None:
    recorder = Recorder(_reply)
    with recorder.client() as client:
        _check_path(
            recorder,
            lambda: client.score_log(log_id, 1.0, evaluator_id="e", value_type="numerical"),
            "/api/logs/{}/scores/",
            log_id,
        )


@SETTINGS
@given(first=hostile_ids, second=hostile_ids)
def test_ids_name_one_path_segment_everywhere(first: Any, second: Any) -> None:
    recorder = Recorder(_reply)
    with recorder.client() as client:
        _check_path(recorder, lambda: client.scores.retrieve(first), "/api/scores/{}/", first)
        _check_path(
            recorder, lambda: client.evaluators.retrieve(first), "/api/evaluators/{}/", first
        )
        _check_path(
            recorder,
            lambda: client.log_scores.retrieve(first, second),
            "/api/logs/{}/scores/{}/",
            first,
            second,
        )
        # Without value_type the evaluator is looked up by id, through its own path.
        _check_path(
            recorder,
            lambda: client.score_log("log_1", 1.0, evaluator_id=first),
            "/api/evaluators/{}/",
            first,
            requests=2,
        )
