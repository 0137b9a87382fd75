"""The value-field rule end to end: score_log puts each value type's value in its one field;
the emulator refuses a value in the wrong field; bounds and choices fail before sending."""

from __future__ import annotations

from typing import Any

import pytest

from respan_evals import BadRequestError, NotFoundError, ScoreValueError
from respan_evals.testing import Emulator

from ._helpers import (
    VALUE_FIELDS,
    lookup_requests,
    open_client,
    run,
    score_requests,
    stored,
    stored_values,
)

# slug -> (value passed to score_log, the field it must land in, the stored value)
CASES: dict[str, tuple[Any, str, Any]] = {
    "quality": (7.5, "numerical_value", 7.5),
    "coverage": (42, "numerical_value", 42),
    "is_safe": (False, "boolean_value", False),
    "verdict": ("okay", "categorical_value", ["okay"]),
    "tags": (["good", "bad"], "categorical_value", ["good", "bad"]),
    "feedback": ("Helpful, if long.", "string_value", "Helpful, if long."),
    "details": ({"steps": [1, 2], "ok": True}, "json_value", '{"steps":[1,2],"ok":true}'),
}
VALUE_TYPES = {
    "quality": "numerical",
    "coverage": "percentage",
    "is_safe": "boolean",
    "verdict": "single_select",
    "tags": "multi_select",
    "feedback": "text",
    "details": "json",
}


@pytest.mark.parametrize("lookup", ["slug", "id", "value_type"])
@pytest.mark.parametrize("slug", list(CASES))
async def test_score_log_value_lands_in_its_field(
    slug: str, lookup: str, mode: str, emu: Emulator, evaluators: dict[str, dict[str, Any]]
) -> None:
    value, field, expected = CASES[slug]
    evaluator = evaluators[slug]
    ref: dict[str, Any] = {
        "slug": {"evaluator": slug},
        "id": {"evaluator_id": evaluator["id"]},
        "value_type": {"evaluator": slug, "value_type": VALUE_TYPES[slug]},
    }[lookup]
    async with open_client(emu, mode) as client:
        score = await run(client.score_log("log_v", value, explanation="why", **ref))
    assert getattr(score, field) == expected  # json_value comes back as the JSON text
    for other in VALUE_FIELDS:
        if other != field:
            assert getattr(score, other) is None, other
    rec = stored(emu, score.id)
    assert stored_values(rec) == {field: expected}
    assert (rec["log_id"], rec["evaluator_id"], rec["explanation"]) == (
        "log_v",
        evaluator["id"],
        "why",
    )
    lookups = lookup_requests(emu)
    if lookup == "value_type":
        assert lookups == []  # value_type given: no lookup at all
    elif lookup == "id":
        assert lookups == [("GET", f"/api/evaluators/{evaluator['id']}/", 200)]
    else:
        assert lookups == [("POST", "/api/evaluators/list/", 200)]
    assert score_requests(emu) == [("POST", "/api/logs/log_v/scores/", 201)]


@pytest.mark.parametrize(
    ("slug", "wrong"),
    [
        ("quality", {"string_value": "7"}),
        ("is_safe", {"numerical_value": 1}),
        ("verdict", {"string_value": "good"}),
        ("details", {"categorical_value": ["x"]}),
        ("quality", {"numerical_value": 3, "boolean_value": True}),  # right field plus another
    ],
)
async def test_raw_upsert_with_the_wrong_field_is_refused(
    slug: str,
    wrong: dict[str, Any],
    mode: str,
    emu: Emulator,
    evaluators: dict[str, dict[str, Any]],
) -> None:
    async with open_client(emu, mode) as client:
        with pytest.raises(BadRequestError) as caught:
            await run(client.log_scores.upsert("log_w", evaluator_slug=slug, **wrong))
    error = caught.value
    assert error.status_code == 400
    misplaced = next(name for name in wrong if name != CASES[slug][1])
    assert misplaced in error.field_errors
    assert error.field_errors[misplaced]
    assert not error.outcome_unknown
    assert emu.score_count() == 0


async def test_raw_upsert_without_the_right_field_is_refused(
    mode: str, emu: Emulator, evaluators: dict[str, dict[str, Any]]
) -> None:
    async with open_client(emu, mode) as client:
        with pytest.raises(BadRequestError) as caught:
            await run(client.log_scores.upsert("log_w", evaluator_slug="quality"))
    assert "numerical_value" in caught.value.field_errors
    assert emu.score_count() == 0


BAD_VALUES = [
    ("quality", 10.5),  # above max_score 10
    ("quality", -1),  # below min_score 0
    ("quality", "7"),  # not a number
    ("quality", float("nan")),
    ("coverage", 150),  # percentage: 0..100
    ("is_safe", 1),  # a bool only
    ("is_safe", "true"),
    ("verdict", "great"),  # not a choice
    ("verdict", ["good", "bad"]),  # single_select takes one
    ("tags", ["good", "meh"]),  # one unknown choice
    ("tags", ["good", "good"]),  # repeats
    ("tags", "good"),  # multi_select takes a list
    ("feedback", b"bytes"),
    ("feedback", 3),
    ("details", "{not json"),
    ("details", {1, 2}),
    ("quality", None),
]


@pytest.mark.parametrize(("slug", "value"), BAD_VALUES, ids=[f"{s}-{v!r}" for s, v in BAD_VALUES])
async def test_value_errors_are_caught_before_any_score_request(
    slug: str, value: Any, mode: str, emu: Emulator, evaluators: dict[str, dict[str, Any]]
) -> None:
    async with open_client(emu, mode) as client:
        with pytest.raises(ScoreValueError) as caught:
            await run(client.score_log("log_x", value, evaluator=slug))
        # The same value, through the bulk helper: an outcome with the error, nothing sent.
        outcomes = await run(
            client.score_logs([{"log_id": "log_y", "value": value, "evaluator": slug}])
        )
    assert caught.value.value_type == VALUE_TYPES[slug]
    assert caught.value.evaluator == slug
    assert len(outcomes) == 1 and isinstance(outcomes[0].error, ScoreValueError)
    assert outcomes[0].created is None and outcomes[0].score is None
    assert score_requests(emu) == []
    assert emu.score_count() == 0
    assert len(lookup_requests(emu)) == 1  # one lookup (cached), and that is all that was sent
    assert len(emu.requests) == 1


async def test_unknown_evaluator_slug_sends_no_score(mode: str, emu: Emulator) -> None:
    async with open_client(emu, mode) as client:
        with pytest.raises(ValueError, match="no evaluator with slug 'missing'"):
            await run(client.score_log("log_1", 1, evaluator="missing"))
        with pytest.raises(NotFoundError):
            await run(client.score_log("log_1", 1, evaluator_id="evl_missing"))
    assert score_requests(emu) == []
