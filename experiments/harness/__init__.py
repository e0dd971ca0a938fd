"""The pytest plugin every experiment runs under, loaded by the root conftest.py: fixtures (what a benchmark
records), hygiene (nothing left behind, every test bounded in time) and recording (one run file per session)."""
