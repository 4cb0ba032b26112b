"""Checking an answer against the `response_schema` its interrupt asked for, before sending it.

A wrong answer sent to a graph re-runs the interrupted node and fails inside it (or worse,
succeeds with bad data); refusing it up front loses nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jsonschema

from hitl_widgets.errors import DebuggerError
from hitl_widgets.model import PendingInterrupt


def json_schema(schema: Any) -> Mapping[str, Any] | None:
    """A JSON Schema from what `interrupt(response_schema=...)` accepts: a dict or a pydantic model."""
    if isinstance(schema, Mapping):
        return schema
    model_json_schema = getattr(schema, "model_json_schema", None)
    if callable(model_json_schema):
        produced = model_json_schema()
        return produced if isinstance(produced, Mapping) else None
    return None


def check_answer(interrupt: PendingInterrupt, answer: Any) -> None:
    """Raise DebuggerError naming what is wrong if `answer` does not fit the interrupt's schema."""
    schema = json_schema(interrupt.response_schema)
    if schema is None:
        return
    try:
        jsonschema.validate(answer, schema)
    except jsonschema.ValidationError as invalid:
        where = "/".join(str(p) for p in invalid.absolute_path)
        raise DebuggerError(
            f"the answer to interrupt {interrupt.id} ({interrupt.node}) does not fit its response_schema"
            f"{f' at {where!r}' if where else ''}: {invalid.message}"
        ) from None
    except jsonschema.SchemaError:
        return  # a schema we cannot read is the graph's problem, not a reason to refuse
