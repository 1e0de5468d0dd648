"""The bodies the benchmark server sends: realistic instances built from the specs' schemas.

A DAG here has every property its schema lists, with values of the declared type and
format (names, paths, timestamps, tags, schedules of each kind), and ``null`` for some of
the nullable ones, as a real Airflow server sends them.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped,unused-ignore]

SPECS = Path(__file__).resolve().parent.parent / "specs"
AIRFLOW_V1 = "airflow/airflow-2.10.5-v1.yaml"
AIRFLOW_V2 = "airflow/airflow-core-3.3.2-v2-rest-api-generated.yaml"
ADYEN_PAYMENT = "adyen/PaymentService-v68.json"


@cache
def spec(file: str) -> dict[str, Any]:
    text = (SPECS / file).read_text(encoding="utf-8")
    data = json.loads(text) if file.endswith(".json") else yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


def _resolve(doc: dict[str, Any], node: Any) -> tuple[Any, str]:
    name = ""
    while isinstance(node, dict) and "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        target: Any = doc
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        node = target
    return node, name


def _string(name: str, schema: dict[str, Any], i: int) -> str:
    if "enum" in schema:
        values = [v for v in schema["enum"] if v is not None]
        return str(values[i % len(values)])
    if schema.get("format") == "date-time":
        return f"2026-11-{1 + i % 28:02d}T{i % 24:02d}:15:30.123456+00:00"
    if name in ("dag_id", "root_dag_id"):
        return f"etl_pipeline_{i:03d}"
    if "fileloc" in name:
        return f"/opt/airflow/dags/team_{i % 5}/etl_pipeline_{i:03d}.py"
    if name in ("description", "timetable_description"):
        return f"Loads the day's orders for region {i % 9} into the warehouse and checks totals"
    if name == "value":
        return f"{i % 60} {i % 24} * * *"
    if name.endswith("token"):
        return f"Ii9vcHQvYWlyZmxvdy9kYWdzL2V0bF9{i:03d}.QHzIYv0vq2q7u3Kx5h2v"
    return f"{name.replace('_', ' ')} {i}"


def instance(file: str, schema: Any, i: int, name: str = "", depth: int = 0) -> Any:
    """A realistic value of ``schema`` (the ``i``-th of a list, so values vary)."""
    doc = spec(file)
    schema, ref = _resolve(doc, schema)
    if not isinstance(schema, dict) or depth > 6:
        return None
    options = schema.get("anyOf") or schema.get("oneOf")
    if options:
        real = [o for o in options if _resolve(doc, o)[0].get("type") != "null"]
        if len(real) < len(options) and (i + len(name)) % 4 == 0:
            return None  # some nullable fields are null, as on a real server
        return instance(file, real[(i + len(name)) % len(real)], i, name, depth + 1)
    if schema.get("nullable") and (i + len(name)) % 4 == 0:
        return None
    props: dict[str, Any] = {}
    for part in schema.get("allOf", []):
        sub = instance(file, part, i, name, depth + 1)
        if isinstance(sub, dict):
            props.update(sub)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        for key, sub in (schema.get("properties") or {}).items():
            if key == "__type":
                props[key] = ref
            else:
                props[key] = instance(file, sub, i, key, depth + 1)
        return props
    if props:
        return props
    if kind == "array":
        return [instance(file, schema.get("items") or {}, i + n, name, depth + 1) for n in (0, 1)]
    if kind == "string":
        return _string(name, schema, i)
    if kind == "integer":
        return 1 + (i * 7 + len(name)) % 16
    if kind == "number":
        return round(0.25 + i * 0.731, 3)
    if kind == "boolean":
        return (i + len(name)) % 2 == 0
    return None


def dag_list(file: str, schema: str, count: int = 100) -> dict[str, Any]:
    """``{"dags": [...], "total_entries": count}`` of ``count`` DAGs of ``schema``."""
    ref = {"$ref": f"#/components/schemas/{schema}"}
    return {"dags": [instance(file, ref, i) for i in range(count)], "total_entries": count}


def authorise_request() -> dict[str, Any]:
    """The spec's card authorisation example (Adyen test card data)."""
    examples = spec(ADYEN_PAYMENT)["components"]["examples"]
    value = examples["post-authorise-authorise-card"]["value"]
    assert isinstance(value, dict)
    return value


#: An authorisation result of the usual size.
PAYMENT_RESULT = {
    "pspReference": "QFQTPCQ8HXSKGK82",
    "resultCode": "Authorised",
    "authCode": "065696",
    "merchantReference": "YOUR_REFERENCE",
    "additionalData": {
        "cardSummary": "1111",
        "expiryDate": "3/2030",
        "paymentMethod": "visa",
        "cardBin": "411111",
        "fundingSource": "CREDIT",
        "issuerCountry": "NL",
    },
}

#: Airflow 2's problem details for a DAG that does not exist.
NOT_FOUND = {
    "detail": "The DAG with dag_id: `missing` was not found",
    "status": 404,
    "title": "DAG not found",
    "type": "https://airflow.apache.org/docs/apache-airflow/2.10.5/stable-rest-api-ref.html"
    "#section/Errors/NotFound",
}

#: A rate limit answer, problem details and ``Retry-After: 1``.
TOO_MANY = {
    "detail": "Rate limit exceeded: 100 per 1 minute",
    "status": 429,
    "title": "Too Many Requests",
    "type": "about:blank",
}
