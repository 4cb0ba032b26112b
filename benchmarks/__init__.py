"""`make bench`: the toolkit measured against the raw LangGraph way of doing the same work."""
