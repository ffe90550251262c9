"""Use cases: one service per feature, talking to the outside only through ports."""
