"""Data breakpoints (watchpoints): pause after the superstep in which a state key changed.

LangGraph has none. While a key is watched, a run that goes on by itself (`start`, `cont`,
`resume`, `replay`) is asked to stop after every superstep (`interrupt_after` on every node),
and the Debugger goes on at once unless a watched key changed there (and its condition, if
any, holds for the new state). Going on from such a stop makes no checkpoint, so the thread is
the one a run without the watch leaves; each superstep is then a run of its own, which costs a
little on a local graph and a round trip on a server.
"""

from __future__ import annotations

from typing import Any

from hitl_widgets.breakpoints import Predicate, check_condition, describe
from hitl_widgets.diff import same
from hitl_widgets.errors import DebuggerError, choices
from hitl_widgets.model import WatchHit, keyed


class Watches:
    """The watched state keys, each with its condition (or None: any change)."""

    def __init__(self) -> None:
        self._when: dict[str, Predicate | None] = {}

    def __bool__(self) -> bool:
        return bool(self._when)

    def listing(self) -> dict[str, str | None]:
        """`{key: condition or None}`."""
        return {key: (describe(test) if test is not None else None) for key, test in self._when.items()}

    def add(self, keys: tuple[str, ...], when: Predicate | None, state_keys: tuple[str, ...] | None) -> None:
        """Watch these keys (checked against `state_keys`, when the graph says them); nothing
        is set if anything is wrong."""
        if not keys:
            raise DebuggerError(f"watch() needs at least one state key: {choices(state_keys or ())}")
        unknown = [k for k in keys if state_keys is not None and k not in state_keys]
        if unknown:
            raise DebuggerError(
                f"unknown state key {choices(map(str, unknown))}; state keys are: {choices(state_keys or ())}"
            )
        check_condition(when)
        for key in keys:
            self._when[key] = when

    def remove(self, keys: tuple[str, ...]) -> None:
        """Stop watching these keys; every key if none is named."""
        unknown = [k for k in keys if k not in self._when]
        if unknown:
            raise DebuggerError(
                f"not watched: {choices(map(str, unknown))}; watched keys are: {choices(self._when)}"
            )
        for key in keys or tuple(self._when):
            self._when.pop(key, None)

    def hit(self, before: Any, after: Any, nodes: tuple[str, ...]) -> tuple[WatchHit | None, str | None]:
        """The first watched key that changed from `before` to `after` (whose condition holds),
        or the error its condition raised."""
        old, new = keyed(before), keyed(after)
        for key, test in self._when.items():
            if same(old.get(key), new.get(key)):
                continue
            if test is not None:
                try:
                    if not test(after):
                        continue
                except Exception as exc:  # the user's condition: shown, never run past
                    return (
                        None,
                        f"the condition of the watch on {key} ({describe(test)}) raised {type(exc).__name__}: {exc}",
                    )
            return WatchHit(key=key, before=old.get(key), after=new.get(key), nodes=nodes), None
        return None, None
