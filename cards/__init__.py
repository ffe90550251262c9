"""Presentation: pure functions from domain objects to Adaptive Card JSON (version 1.5)."""
