"""Bound operations show their real parameters to help(), IDEs and Jupyter."""

from __future__ import annotations

import inspect

from airflow_like import AirflowClient, AsyncAirflowClient
from commonrest import NoAuth
from commonrest.crest import CommonRestClient


def test_a_bound_operation_has_the_declared_signature_without_self() -> None:
    client = AirflowClient(base_url="http://127.0.0.1:9", token="t")
    aclient = AsyncAirflowClient(base_url="http://127.0.0.1:9", token="t")
    for bound, returns in (
        (client.v1.dags.get, "DAG"),
        (aclient.v1.dags.get, "Coroutine[Any, Any, DAG]"),
        (client.with_raw_response.v1.dags.get, "APIResponse[DAG]"),
    ):
        sig = inspect.signature(bound)
        assert list(sig.parameters) == ["dag_id", "fields"]
        assert sig.parameters["fields"].kind is inspect.Parameter.KEYWORD_ONLY
        assert sig.return_annotation == returns
    assert client.v1.dags.get.__name__ == "get"
    assert client.v1.dags.get.__module__ == "airflow_like._generated.v1.dags"
    assert "limit" in inspect.signature(client.v1.dags.list).parameters


def test_common_rest_verbs_show_their_parameters_too() -> None:
    users = CommonRestClient(base_url="http://127.0.0.1:9/openidm", auth=NoAuth()).resource(
        "/users"
    )
    params = inspect.signature(users.query).parameters
    assert {"filter", "query_id", "page_size", "max_items"} <= set(params)
    assert "self" not in params


def test_a_model_repr_lists_only_what_was_set() -> None:
    from airflow_like.types.v1 import DAG

    dag = DAG.model_validate({"dag_id": "etl", "is_paused": False, "tags": None, "newField": 3})
    assert repr(dag) == "DAG(dag_id='etl', is_paused=False, tags=None, newField=3)"
    assert dag == DAG.model_validate(dag.to_dict())


def test_a_pager_repr_names_its_operation_and_position() -> None:
    client = AirflowClient(base_url="http://127.0.0.1:9", token="t")
    assert repr(client.v1.dags.list()) == "<SyncPager get_dags (GET /dags) position=None>"
    aclient = AsyncAirflowClient(base_url="http://127.0.0.1:9", token="t")
    assert repr(aclient.v1.dags.list()).startswith("<AsyncPager get_dags (GET /dags)")
