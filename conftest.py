"""Loads the claims lab's pytest plugin (experiments/harness/): profiles and the fixtures that record a benchmark,
the guards that bound every test and catch what it leaves behind, and the run file every session writes."""

pytest_plugins = ["experiments.harness.fixtures", "experiments.harness.hygiene", "experiments.harness.recording"]
