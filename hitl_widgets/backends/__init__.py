"""Backends: where a thread lives. The Debugger talks only to the `Backend` protocol."""

from hitl_widgets.backends.base import (
    Backend,
    CheckpointRecord,
    RunObserver,
    RunOutcome,
    RunRequest,
    Snapshot,
)

__all__ = ["Backend", "CheckpointRecord", "RunObserver", "RunOutcome", "RunRequest", "Snapshot"]
