"""NOT_GIVEN leaves an argument out of the request, wherever it is passed, and is never sent."""

from __future__ import annotations

import copy
import inspect
import pickle

from respan_evals import NOT_GIVEN, AsyncRespan, NotGiven, Respan
from respan_evals_api.types import UNSET

from .conftest import FakeAPI


def test_one_falsy_instance_that_survives_copies() -> None:
    assert NotGiven() is NOT_GIVEN
    assert copy.deepcopy(NOT_GIVEN) is NOT_GIVEN
    assert pickle.loads(pickle.dumps(NOT_GIVEN)) is NOT_GIVEN
    assert not NOT_GIVEN and repr(NOT_GIVEN) == "NOT_GIVEN"
    assert NOT_GIVEN is not UNSET


def test_query_arguments_left_out_whether_given_as_not_given_or_unset(
    client: Respan, api: FakeAPI
) -> None:
    client.scores.list()
    client.scores.list(page=NOT_GIVEN, page_size=NOT_GIVEN, start_time=NOT_GIVEN)
    client.scores.list(page=UNSET, page_size=3)  # the generated sentinel still works
    assert [s.query for s in api.seen] == [{}, {}, {"page_size": "3"}]


def test_body_fields_left_out(client: Respan, api: FakeAPI) -> None:
    client.scores.create(
        log_id="log_1", evaluator_slug="q", numerical_value=4, explanation=NOT_GIVEN
    )
    client.evaluators.filter(filters=NOT_GIVEN, is_exporting=NOT_GIVEN)
    client.evaluators.filter_summary(is_exporting=True)
    client.evaluators.run("evl_1", inputs={"input": "i", "output": "o"}, log_ids=NOT_GIVEN)
    client.score_log("log_1", 4, evaluator="q", value_type="numerical")  # None: not given
    bodies = [s.json for s in api.seen]
    assert bodies[0] == {"log_id": "log_1", "evaluator_slug": "q", "numerical_value": 4}
    assert bodies[1] in (None, {})
    assert bodies[2] == {"is_exporting": True}
    assert bodies[3] == {"inputs": {"input": "i", "output": "o"}}
    assert bodies[4] == {"evaluator_slug": "q", "numerical_value": 4}
    assert "NOT_GIVEN" not in repr(bodies)


def test_signatures_show_not_given(client: Respan) -> None:
    fields = inspect.signature(client.scores.create).parameters
    assert fields["explanation"].default is NOT_GIVEN
    assert inspect.signature(client.scores.list).parameters["page"].default is NOT_GIVEN


def test_start_up_needs_no_generated_client() -> None:
    client = Respan(api_key="x")
    assert client._api._client is None  # built on the first request (or `client.api`)
    assert client.api is client.api
    aclient = AsyncRespan(api_key="x")
    assert aclient.api.get_async_httpx_client() is aclient._http
