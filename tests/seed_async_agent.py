"""The seed tutorial's last agent: a ReAct agent whose async tool (an MCP tool in the seed; a
coroutine-only `StructuredTool` here) is wrapped in the async `add_human_in_the_loop`, so each
call is reviewed with the Agent Inbox `HumanInterrupt` schema before it runs."""

from __future__ import annotations

import asyncio
from typing import Any

from langchain_core.runnables import RunnableConfig
from langchain_core.tools import BaseTool, StructuredTool
from langchain_core.tools import tool as create_tool
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.prebuilt import create_react_agent
from langgraph.prebuilt.interrupt import HumanInterrupt, HumanInterruptConfig
from langgraph.types import interrupt

from hitl_widgets.fake_llm import ScriptedChatModel, tool_call

REQUEST = {"messages": [{"role": "user", "content": "What is the weather in Beijing tomorrow?"}]}


async def _weather(city: str) -> str:
    await asyncio.sleep(0)  # a network round trip, in an MCP server
    return f"Sunny in {city}."


def weather_tool() -> StructuredTool:
    """A tool with a coroutine and no function: what an MCP adapter hands out."""
    return StructuredTool.from_function(coroutine=_weather, name="weather", description="Weather in a city.")


def add_human_in_the_loop(tool: Any, *, interrupt_config: HumanInterruptConfig | None = None) -> BaseTool:
    """The seed tutorial's async wrapper, as written there (for tools that only run async)."""
    if not isinstance(tool, BaseTool):
        tool = create_tool(tool)
    if interrupt_config is None:
        interrupt_config = {
            "allow_accept": True,
            "allow_edit": True,
            "allow_respond": True,
            "allow_ignore": False,
        }

    @create_tool(tool.name, description=tool.description, args_schema=tool.args_schema)
    async def call_tool_with_interrupt(config: RunnableConfig, **tool_input: Any) -> Any:
        request: HumanInterrupt = {
            "action_request": {"action": tool.name, "args": tool_input},
            "config": interrupt_config,
            "description": "Please review the tool call",
        }
        response = interrupt([request])[0]
        if response["type"] == "accept":
            tool_response = await tool.ainvoke(tool_input, config)
        elif response["type"] == "edit":
            tool_input = response["args"]["args"]
            tool_response = await tool.ainvoke(tool_input, config)
        elif response["type"] == "response":
            tool_response = response["args"]
        else:
            raise ValueError(f"Unsupported interrupt response type: {response['type']}")
        return tool_response

    return call_tool_with_interrupt


def seed_agent(saver: BaseCheckpointSaver[Any]) -> Any:
    model = ScriptedChatModel(script=[[tool_call("weather", city="Beijing")], "Here is the forecast."])
    return create_react_agent(
        model=model,
        tools=[add_human_in_the_loop(weather_tool())],
        checkpointer=saver,
        name="search_assistant",
        prompt="You are an assistant that can search for all kinds of information.",
    )


SEED_ANSWERS = {
    "accept": ([{"type": "accept"}], "Sunny in Beijing."),
    "edit": ([{"type": "edit", "args": {"args": {"city": "Shanghai"}}}], "Sunny in Shanghai."),
    "response": (
        [{"type": "response", "args": "Use the local news instead."}],
        "Use the local news instead.",
    ),
}
