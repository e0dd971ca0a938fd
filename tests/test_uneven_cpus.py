"""scripts/uneven_cpus.py, the check behind README's "This VM's two CPUs do not run at the same speed": every part
runs and reports every round, or counts them, on this interpreter (timings are what it prints, never what is
asserted)."""

import os
import re

import uneven_cpus


def test_it_reports_each_round_per_cpu_and_interleaved_and_counts_the_slow_ones(capsys):
    uneven_cpus.main(["--rounds", "3", "--task-ms", "2"])
    out = capsys.readouterr().out
    if hasattr(os, "sched_setaffinity"):
        per_cpu = out.split("per CPU:\n")[1].split("interleaved")[0].strip().splitlines()
        assert len(per_cpu) == 3
        assert all(line.count(" ms") == len(os.sched_getaffinity(0)) and "slowest/fastest" in line for line in per_cpu)
    rounds = re.findall(r"round +\d+: threads [\d.]+x  processes [\d.]+x", out)
    assert len(rounds) == 3
    counted = re.search(r"below 1.3x: threads (\d), processes (\d), both (\d) of 3 rounds", out)
    assert counted and int(counted.group(3)) <= min(int(counted.group(1)), int(counted.group(2)))
    if hasattr(os, "sched_setaffinity") and len(os.sched_getaffinity(0)) >= 2:
        kept = [int(n) for n in re.findall(r"began [^:]+: (\d) of 3 rounds; below [\d.]+x: \d", out)]
        assert len(kept) == 2 and kept[1] <= kept[0]  # not crowded is a further condition on even
