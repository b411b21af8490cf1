"""Performance benchmarks: SiagaModel at 10k / 100k / 1M villagers against an idiomatic Mesa version.

Run `python benchmarks/bench_scale.py --help`; see benchmarks/README.md.
"""
