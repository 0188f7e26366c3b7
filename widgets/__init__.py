"""Panes and small widgets: they render snapshots and never fetch."""
