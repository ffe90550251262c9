"""In-process fakes of external services so tests and benchmarks run offline on 127.0.0.1."""
