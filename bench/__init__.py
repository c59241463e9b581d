"""Benchmarks against the peers (trafilatura, GeneralNewsExtractor): run with `make bench`, never in CI."""
