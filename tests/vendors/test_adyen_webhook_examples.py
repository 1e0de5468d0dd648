"""Every webhook example of the reduced Adyen specs parses into its generated model.

Incoming payloads are parsed leniently (the webhook models have no required field), so
the vendor's own examples, some of which leave out fields the spec calls required, must
all parse and serialise back to what was received.
"""

from __future__ import annotations

import importlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from commonrest import Model

SPECS = Path(__file__).resolve().parents[2] / "specs" / "adyen"

#: spec file -> module of its generated models
WEBHOOK_SPECS = {
    "Webhooks-v1.json": "adyen_like.types.webhooks",
    "MarketPayNotificationService-v6.json": "adyen_like.types.marketpay_notifications",
}


def _examples() -> list[tuple[str, str, str, str, Any]]:
    """(spec file, webhook, example name, schema name, example value) of every example."""
    out = []
    for file in WEBHOOK_SPECS:
        doc = json.loads((SPECS / file).read_text(encoding="utf-8"))
        for hook, item in doc["webhooks"].items():
            for op in item.values():
                content = op["requestBody"]["content"]["application/json"]
                schema = content["schema"]["$ref"].rsplit("/", 1)[-1]
                for name, example in (content.get("examples") or {}).items():
                    if "$ref" in example:
                        example = doc["components"]["examples"][example["$ref"].rsplit("/", 1)[-1]]
                    out.append((file, hook, name, schema, example["value"]))
    return out


EXAMPLES = _examples()


def test_every_webhook_spec_has_examples() -> None:
    counts = {file: sum(e[0] == file for e in EXAMPLES) for file in WEBHOOK_SPECS}
    assert counts == {"Webhooks-v1.json": 42, "MarketPayNotificationService-v6.json": 22}


def _moment(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def _same(out: Any, sent: Any, where: str = "") -> None:
    """``out`` equals ``sent``, except that a moment may come back written another way
    (a date sent for a date-time field returns as that day's midnight)."""
    if isinstance(sent, dict):
        assert isinstance(out, dict) and set(out) == set(sent), where
        for key in sent:
            _same(out[key], sent[key], f"{where}/{key}")
    elif isinstance(sent, list):
        assert isinstance(out, list) and len(out) == len(sent), where
        for i, (a, b) in enumerate(zip(out, sent, strict=True)):
            _same(a, b, f"{where}/{i}")
    elif isinstance(sent, str) and isinstance(out, str) and out != sent:
        parsed, wanted = _moment(out), _moment(sent)
        assert parsed is not None and wanted is not None, (where, out, sent)
        assert parsed == wanted, (where, out, sent)
    else:
        assert out == sent, (where, out, sent)


def _attr(model: Any, wire: str) -> Any:
    """The value of the field that has the wire name ``wire``, read by its Python name."""
    assert isinstance(model, Model)
    for name, info in type(model).model_fields.items():
        if (info.alias or name) == wire:
            return getattr(model, name)
    raise AssertionError(f"{type(model).__name__} has no field {wire!r}")


def _wire(value: Any) -> Any:
    return value.value if hasattr(value, "value") else value


@pytest.mark.parametrize(
    ("file", "hook", "name", "schema", "value"),
    EXAMPLES,
    ids=[f"{e[0].split('-')[0]}:{e[1].strip('/')}:{e[2]}" for e in EXAMPLES],
)
def test_webhook_example_parses_and_round_trips(
    file: str, hook: str, name: str, schema: str, value: Any
) -> None:
    models = importlib.import_module(WEBHOOK_SPECS[file])
    cls = getattr(models, schema)
    assert issubclass(cls, Model)
    parsed = cls.model_validate(value)
    # every field of the example comes back under its wire name
    _same(parsed.to_dict(), value)
    # and the key fields read through their Python names
    if "notificationItems" in value:
        assert _wire(_attr(parsed, "live")) == value["live"]
        for wrapper, sent in zip(
            _attr(parsed, "notificationItems"), value["notificationItems"], strict=True
        ):
            item, sent_item = (
                _attr(wrapper, "NotificationRequestItem"),
                sent["NotificationRequestItem"],
            )
            for key in ("eventCode", "pspReference", "merchantAccountCode", "success"):
                if key in sent_item:
                    assert _wire(_attr(item, key)) == sent_item[key], key
    else:
        keys = [k for k in ("eventType", "pspReference", "type", "environment") if k in value]
        assert keys
        for key in keys:
            assert _wire(_attr(parsed, key)) == value[key], key


@pytest.mark.parametrize("module", sorted(WEBHOOK_SPECS.values()))
def test_webhook_models_require_no_field(module: str) -> None:
    models = importlib.import_module(module)
    checked = 0
    for cls in vars(models).values():
        if isinstance(cls, type) and issubclass(cls, Model) and cls.__module__ == module:
            for name, info in cls.model_fields.items():
                assert not info.is_required(), f"{cls.__name__}.{name}"
                assert info.default is None, f"{cls.__name__}.{name}"
                checked += 1
    assert checked > 100
