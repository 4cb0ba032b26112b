"""Which node a `Send` names, read from the first bytes of its stored form.

Push tasks (a `Send` fan-out, `create_react_agent`'s tool calls) are saved under task paths
that give an index, not a node name; the name is in the `Send` packets the step before wrote
to the `__pregel_tasks` channel. Those packets carry their whole argument (often the whole
state), so rather than load them, the name is read from the head of LangGraph's msgpack form:
an extension holding `["langgraph.types", "Send", [node, arg]]`.
"""

from __future__ import annotations

TASKS_CHANNEL = "__pregel_tasks"
# Enough of a stored Send to hold its module, class and node name.
HEAD_BYTES = 256


def send_target(kind: str | None, head: bytes | None) -> str | None:
    """The node a stored `Send` goes to, from its type tag and its first bytes; None if the
    bytes are not a Send in LangGraph's msgpack form."""
    if kind != "msgpack" or not head:
        return None
    reader = _Reader(head)
    try:
        if not reader.ext_header() or reader.array_header() != 3:
            return None
        if reader.string() != "langgraph.types" or reader.string() != "Send":
            return None
        if reader.array_header() < 1:
            return None
        return reader.string()
    except IndexError:  # cut off within what was read
        return None


class _Reader:
    def __init__(self, data: bytes) -> None:
        self._data = data
        self._at = 0

    def _take(self, count: int) -> bytes:
        if self._at + count > len(self._data):
            raise IndexError(count)
        chunk = self._data[self._at : self._at + count]
        self._at += count
        return chunk

    def _int(self, size: int) -> int:
        return int.from_bytes(self._take(size), "big")

    def ext_header(self) -> bool:
        tag = self._int(1)
        sizes = {0xC7: 1, 0xC8: 2, 0xC9: 4}
        if tag in sizes:
            self._take(sizes[tag] + 1)  # length, then the extension's type
            return True
        if 0xD4 <= tag <= 0xD8:  # fixext: the type only
            self._take(1)
            return True
        return False

    def array_header(self) -> int:
        tag = self._int(1)
        if 0x90 <= tag <= 0x9F:
            return tag - 0x90
        if tag == 0xDC:
            return self._int(2)
        if tag == 0xDD:
            return self._int(4)
        return -1

    def string(self) -> str | None:
        tag = self._int(1)
        if 0xA0 <= tag <= 0xBF:
            size = tag - 0xA0
        elif tag == 0xD9:
            size = self._int(1)
        elif tag == 0xDA:
            size = self._int(2)
        else:
            return None
        return self._take(size).decode("utf-8", errors="replace")
