"""Hand-run benchmarks for Rådsbot (see bench/README.md)."""
