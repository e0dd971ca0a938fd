"""scripts/summarize.py on bad input: exit 2, one line naming the file and the problem, CSVs untouched."""

import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUMMARIZE = os.path.join(ROOT, "scripts", "summarize.py")
BENCHMARK_JSON_OF_ANOTHER_SUITE = {"machine_info": {"node": "x"}, "benchmarks": [], "datetime": "", "version": "5.1"}


def summarize(*args):
    env = dict(os.environ, PYTHONPATH=ROOT)
    return subprocess.run(
        [sys.executable, SUMMARIZE] + list(args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        universal_newlines=True,
        env=env,
        timeout=120,
    )


@pytest.fixture
def out(tmp_path):
    """A results folder whose CSVs from an earlier summary must survive a failed one."""
    for name in ("measurements.csv", "verdicts.csv"):
        (tmp_path / name).write_text("earlier,summary\n")
    return tmp_path


@pytest.mark.parametrize(
    "content, problem",
    [
        (None, "no such file or folder"),
        ("{ not json", "not JSON"),
        (json.dumps({"hello": "world"}), "not pytest-benchmark JSON"),
        (json.dumps(BENCHMARK_JSON_OF_ANOTHER_SUITE), "not recorded by this suite"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_keeps_the_csvs(tmp_path, out, content, problem):
    run = tmp_path / "run.json"
    if content is not None:
        run.write_text(content)
    done = summarize(str(run), "--out", str(out))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and str(run) in lines[0] and problem in lines[0], done.stderr
    assert (out / "measurements.csv").read_text() == (out / "verdicts.csv").read_text() == "earlier,summary\n"


def test_an_empty_folder_is_bad_input(tmp_path, out):
    (tmp_path / "runs").mkdir()
    done = summarize(str(tmp_path / "runs"), "--out", str(out))
    assert done.returncode == 2 and "no *.json run files" in done.stderr
