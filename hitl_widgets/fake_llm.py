"""A deterministic chat model for examples and tests: it answers from a script, offline.

LangChain's `GenericFakeChatModel` cannot `bind_tools`, so a ReAct agent cannot use it.
`ScriptedChatModel` can: each call returns the next scripted message (text, or tool calls),
and once the script runs out it repeats its last text answer. It streams like a real model
(text word by word, tool calls as tool-call chunks), sync and async, so LangGraph's
`messages` stream mode sees tokens; `token_delay` makes it a slow LLM for demos.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, ToolCallChunk
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from pydantic import Field

# A word with the spaces after it: the chunks joined give the text back exactly.
_WORD = re.compile(r"\s*\S+\s*|\s+")


def tool_call(name: str, **args: Any) -> dict[str, Any]:
    """A tool call for a script: `tool_call("search_hotel", city="Paris")`."""
    digest = hashlib.sha1(json.dumps([name, args], sort_keys=True, default=str).encode()).hexdigest()
    return {"name": name, "args": args, "id": f"call_{digest[:10]}", "type": "tool_call"}


class ScriptedChatModel(BaseChatModel):
    """Replies with `script[i]` on call i: a string is a text answer, a list is tool calls.

    The position is the number of AI messages already in the conversation, so a graph
    replayed from a past checkpoint gets the same answers again. Streamed or not, sync or
    async, a call gives the same message.
    """

    script: Sequence[str | list[dict[str, Any]]] = Field(default_factory=list)
    token_delay: float = Field(default=0.0, ge=0.0)
    """Seconds to wait before each streamed chunk: a slow LLM, to watch tokens arrive."""

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _reply(self, messages: list[BaseMessage]) -> AIMessage:
        turn = sum(1 for m in messages if isinstance(m, AIMessage))
        entry = self.script[min(turn, len(self.script) - 1)] if self.script else "OK"
        if turn >= len(self.script) and not isinstance(entry, str):
            entry = "Done."
        if isinstance(entry, str):
            return AIMessage(content=entry)
        return AIMessage(content="", tool_calls=list(entry))

    def _chunks(self, messages: list[BaseMessage]) -> list[ChatGenerationChunk]:
        """The reply cut as a provider streams it: words of text, then one chunk per tool call."""
        reply = self._reply(messages)
        text = reply.content if isinstance(reply.content, str) else ""
        chunks = [AIMessageChunk(content=word) for word in _WORD.findall(text)]
        chunks += [
            AIMessageChunk(
                content="",
                tool_call_chunks=[
                    ToolCallChunk(name=call["name"], args=json.dumps(call["args"]), id=call["id"], index=i)
                ],
            )
            for i, call in enumerate(reply.tool_calls)
        ]
        if not chunks:
            chunks = [AIMessageChunk(content="")]
        chunks[-1].chunk_position = "last"
        return [ChatGenerationChunk(message=chunk) for chunk in chunks]

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self._reply(messages))])

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self._reply(messages))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        # LangChain's own loop reports each chunk to the callbacks (LangGraph's token stream).
        for chunk in self._chunks(messages):
            if self.token_delay:
                time.sleep(self.token_delay)
            yield chunk

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        for chunk in self._chunks(messages):
            if self.token_delay:
                await asyncio.sleep(self.token_delay)
            yield chunk

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        return self  # the script already says which tools to call
