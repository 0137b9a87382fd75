"""What the override templates (scripts/templates/client) change in the generated package: models
load on first use, nested models are imported once per module, identity unions are plain
assignments, and a request body is turned into JSON once. Behaviour stays the generator's."""

from __future__ import annotations

import ast
import datetime
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

import respan_evals_api.models as models
from respan_evals import AsyncRespan, Respan, RespanValidationError
from respan_evals_api.models.score import Score

from .conftest import BASE, KEY, SCORE, FakeAPI

MODELS = Path(models.__file__).parent


def test_the_models_package_imports_no_model_until_one_is_used() -> None:
    code = (
        "import sys, json, respan_evals_api.models as m; "
        "before = sorted(n for n in sys.modules if n.startswith('respan_evals_api.models.')); "
        "m.Score; "
        "after = sorted(n for n in sys.modules if n.startswith('respan_evals_api.models.')); "
        "print(json.dumps([before, after, len(m.__all__)]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    before, after, every = json.loads(out.stdout)
    assert before == []
    assert "respan_evals_api.models.score" in after
    assert 0 < len(after) < every  # Score and what it refers to, not every model


def test_every_name_the_package_lists_resolves_to_its_class() -> None:
    for name in models.__all__:
        value = getattr(models, name)
        assert value.__name__ == name
        assert value.__module__.startswith("respan_evals_api.models.")
    assert set(models.__all__) <= set(dir(models))
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        models.Nope  # noqa: B018


def _functions(tree: ast.AST) -> list[ast.FunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]


def test_no_model_imports_inside_its_methods() -> None:
    # The generator imports nested models inside every to_dict and from_dict call.
    with_nested = 0
    for path in sorted(MODELS.glob("*.py")):
        tree = ast.parse(path.read_text())
        for fn in _functions(tree):
            inner = [n for n in ast.walk(fn) if isinstance(n, ast.Import | ast.ImportFrom)]
            assert inner == [], f"{path.name}: {fn.name} imports"
        with_nested += any(
            isinstance(n, ast.ImportFrom) and (n.module or "").startswith("models.")
            for n in tree.body[1:]
            if n.lineno > _last_class_line(tree)
        )
    assert with_nested > 0  # the spec has nested models; they are imported at the end


def _last_class_line(tree: ast.Module) -> int:
    return max((n.lineno for n in tree.body if isinstance(n, ast.ClassDef)), default=0)


def _score(**fields: Any) -> dict[str, Any]:
    return {"id": "score_1", "created_at": "2024-05-01T12:00:00Z", **fields}


def test_parsing_keeps_the_generators_results() -> None:
    score = Score.from_dict(
        _score(
            type="llm",
            categorical_value=["a", "b"],
            numerical_value=None,
            inputs={"input": "q", "metadata": {"k": 1}},
            extra_field=1,
        )
    )
    assert score.created_at == datetime.datetime(2024, 5, 1, 12, tzinfo=datetime.UTC)
    assert score.categorical_value == ["a", "b"]
    assert score.numerical_value is None
    assert type(score.inputs).__name__ == "ScoreInputs"
    assert score.additional_properties == {"extra_field": 1}
    assert score.to_dict()["inputs"] == {"input": "q", "metadata": {"k": 1}}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("type", "a_type_from_a_legacy_row"),  # not a ScoreType: kept as the str
        ("categorical_value", "one"),  # not a list: kept as it came, as the generator does
        ("evaluator", ["not", "an", "object"]),
        ("string_value", 12),
    ],
)
def test_values_outside_a_union_are_kept_as_they_came(field: str, value: object) -> None:
    score = Score.from_dict(_score(**{field: value}))
    attribute = "type_" if field == "type" else field
    assert getattr(score, attribute) == value
    assert score.to_dict()[field] == value


def test_a_body_is_turned_into_json_once_per_request(monkeypatch: pytest.MonkeyPatch) -> None:
    from respan_evals_api.models.log_score_upsert_request import LogScoreUpsertRequest

    calls = []
    to_dict = LogScoreUpsertRequest.to_dict

    def counted(self: LogScoreUpsertRequest) -> dict[str, Any]:
        calls.append(1)
        return to_dict(self)

    monkeypatch.setattr(LogScoreUpsertRequest, "to_dict", counted)
    bodies: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(request.read())
        return httpx.Response(201, json=SCORE)

    client = Respan(
        KEY,
        base_url=BASE,
        rate_limit=None,
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    client.score_log("log_1", 4.5, evaluator="quality", value_type="numerical")
    assert calls == [1]
    assert json.loads(bodies[0]) == {"evaluator_slug": "quality", "numerical_value": 4.5}
    assert b" " not in bodies[0]  # httpx's compact encoding


def test_a_body_json_cannot_hold_fails_before_sending(client: Respan, api: FakeAPI) -> None:
    with pytest.raises(RespanValidationError, match="ScoreCreateRequest cannot be sent") as info:
        client.scores.create(numerical_value=float("inf"), evaluator_slug="q", log_id="l")
    assert info.value.__cause__ is None and info.value.__suppress_context__
    assert api.seen == []


async def test_async_a_body_json_cannot_hold_fails_before_sending(
    aclient: AsyncRespan, api: FakeAPI
) -> None:
    with pytest.raises(RespanValidationError, match="ScoreCreateRequest cannot be sent"):
        await aclient.scores.create(timestamp=None)  # type: ignore[arg-type]
    with pytest.raises(RespanValidationError, match="ValueError: 'Out of range float"):
        await aclient.scores.create(numerical_value=float("nan"), evaluator_slug="q", log_id="l")
    assert api.seen == []
