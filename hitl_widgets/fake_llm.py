"""A deterministic chat model for examples and tests: it answers from a script, offline.

LangChain's `GenericFakeChatModel` cannot `bind_tools`, so a ReAct agent cannot use it.
`ScriptedChatModel` can: each call returns the next scripted message (text, or tool calls),
and once the script runs out it repeats its last text answer.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from pydantic import Field


def tool_call(name: str, **args: Any) -> dict[str, Any]:
    """A tool call for a script: `tool_call("search_hotel", city="Paris")`."""
    digest = hashlib.sha1(json.dumps([name, args], sort_keys=True, default=str).encode()).hexdigest()
    return {"name": name, "args": args, "id": f"call_{digest[:10]}", "type": "tool_call"}


class ScriptedChatModel(BaseChatModel):
    """Replies with `script[i]` on call i: a string is a text answer, a list is tool calls.

    The position is the number of AI messages already in the conversation, so a graph
    replayed from a past checkpoint gets the same answers again.
    """

    script: Sequence[str | list[dict[str, Any]]] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        turn = sum(1 for m in messages if isinstance(m, AIMessage))
        entry = self.script[min(turn, len(self.script) - 1)] if self.script else "OK"
        if turn >= len(self.script) and not isinstance(entry, str):
            entry = "Done."
        if isinstance(entry, str):
            message = AIMessage(content=entry)
        else:
            message = AIMessage(content="", tool_calls=list(entry))
        return ChatResult(generations=[ChatGeneration(message=message)])

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        return self  # the script already says which tools to call
