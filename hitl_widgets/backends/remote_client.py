"""The connection to one LangGraph server: its SDK client, and its failures told as `DebuggerError`s.

Everything the remote backend asks the server goes through `ServerClient.calling(what)`, which
turns the SDK's and httpx's exceptions into one clear message naming what to check (the URL,
the server process, the assistant ids that exist, the thread). The API key is given to
`langgraph_sdk` and sent only as it sends it (the `x-api-key` request header); no attribute of
ours holds it, and every text taken from an exception is scrubbed of it before it reaches a
message.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from langgraph_sdk import get_sync_client
from langgraph_sdk.errors import APIStatusError, ConflictError, NotFoundError

from hitl_widgets.errors import DebuggerError, choices

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
_API_KEY_HEADER = "x-api-key"
_REDACTED = "[api key hidden]"


def is_uuid(text: str) -> bool:
    return bool(_UUID.match(text))


def shown_url(url: str) -> str:
    """The URL as messages show it: without any user:password part."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit(parts._replace(netloc=netloc))


class ServerClient:
    """A `langgraph_sdk` sync client bound to `url`, with error translation.

    `api_key` None lets the SDK read `LANGGRAPH_API_KEY`, `LANGSMITH_API_KEY` (or
    `LANGCHAIN_API_KEY`) from the environment, as it does for any caller.
    """

    def __init__(self, url: str, api_key: str | None) -> None:
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise DebuggerError(f"url must be an http(s) URL of a LangGraph server, not {url!r}")
        self.url = shown_url(url)
        self.sdk = get_sync_client(url=url, api_key=api_key) if api_key else get_sync_client(url=url)

    def scrub(self, text: str) -> str:
        """`text` with the API key (the one the SDK sends) replaced, wherever it appears."""
        secret = self.sdk.http.client.headers.get(_API_KEY_HEADER)
        return text.replace(secret, _REDACTED) if secret else text

    def describe(self, exc: BaseException) -> str:
        """An exception as one scrubbed line: its type and the first line of its message."""
        text = getattr(exc, "message", None) if isinstance(exc, APIStatusError) else None
        first = next((line for line in str(text or exc).splitlines() if line.strip()), "")
        return self.scrub(f"{type(exc).__name__}: {first.strip()}")

    @contextmanager
    def calling(self, what: str) -> Iterator[None]:
        """Run SDK calls that do `what`; their failures become `DebuggerError`s that say what to check."""
        try:
            yield
        except DebuggerError:
            raise
        except ConflictError as exc:
            raise DebuggerError(
                f"the server at {self.url} refused {what}: the thread is busy with another run "
                f"({self.describe(exc)}); wait for that run to end or cancel it, then retry"
            ) from None
        except APIStatusError as exc:
            status = exc.response.status_code if exc.response is not None else "?"
            hint = (
                "; check the API key (argument api_key= or LANGGRAPH_API_KEY / LANGSMITH_API_KEY)"
                if status in (401, 403)
                else ""
            )
            raise DebuggerError(
                f"the server at {self.url} refused {what} (HTTP {status}): {self.describe(exc)}{hint}"
            ) from None
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise DebuggerError(
                f"cannot reach the LangGraph server at {self.url} ({self.describe(exc)}) while {what}; "
                "check the URL and that the server is running (for example `langgraph dev`)"
            ) from None
        except httpx.HTTPError as exc:
            raise DebuggerError(
                f"lost the connection to the LangGraph server at {self.url} while {what} "
                f"({self.describe(exc)}); the server may have stopped: check that it is running. "
                "Nothing changed here; once the server is back, reattach with "
                "hw.debug(url=..., assistant_id=..., thread_id=...) to see what it had saved"
            ) from None

    def assistant(self, assistant_id: str) -> dict[str, Any]:
        """The assistant named by a UUID or by its graph id (the name in langgraph.json)."""
        with self.calling(f"looking up assistant {assistant_id!r}"):
            found = self._find_assistant(assistant_id)
            if found is not None:
                return found
            known = self.sdk.assistants.search(limit=100)
        # a graph id names its server-made assistant; assistants made by users go by their UUID
        names = sorted(
            str(
                a["graph_id"]
                if (a.get("metadata") or {}).get("created_by") == "system"
                else a["assistant_id"]
            )
            for a in known
        )
        raise DebuggerError(
            f"no assistant {assistant_id!r} on the server at {self.url}; assistants are: {choices(names, limit=50)}"
        )

    def _find_assistant(self, assistant_id: str) -> dict[str, Any] | None:
        try:
            if is_uuid(assistant_id):
                return dict(self.sdk.assistants.get(assistant_id))
            found = list(self.sdk.assistants.search(graph_id=assistant_id, limit=100))
        except NotFoundError:  # the server answers 404 for an unknown graph id too
            return None
        # the server's own assistant for a graph first; assistants users made share its graph id
        found.sort(key=lambda a: (a.get("metadata") or {}).get("created_by") != "system")
        return dict(found[0]) if found else None

    def thread(self, thread_id: str | None, graph_id: str) -> str:
        """An existing thread of this graph (checked), or a new one when `thread_id` is None."""
        if thread_id is None:
            with self.calling("creating a thread"):
                return str(self.sdk.threads.create(graph_id=graph_id)["thread_id"])
        if not isinstance(thread_id, str) or not is_uuid(thread_id):
            raise DebuggerError(
                f"thread_id {thread_id!r} cannot be a thread on a LangGraph server: its thread ids are "
                "UUIDs; leave thread_id=None to start a new thread"
            )
        with self.calling(f"attaching to thread {thread_id!r}"):
            try:
                thread = self.sdk.threads.get(thread_id)
            except NotFoundError:
                raise DebuggerError(
                    f"no thread {thread_id!r} on the server at {self.url}; check the id, "
                    "or leave thread_id=None to start a new thread"
                ) from None
        owner = (thread.get("metadata") or {}).get("graph_id")
        if owner and owner != graph_id:
            raise DebuggerError(
                f"thread {thread_id!r} belongs to graph {owner!r}, not {graph_id!r}; "
                f"debug it with assistant_id={owner!r}"
            )
        return thread_id

    def close(self) -> None:
        self.sdk.close()
