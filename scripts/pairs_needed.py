"""How many pairs a judged CPU-bound comparison needs on this machine: pool the per-pair speedups one model
recorded at the judged N (warm pools at N = the usable CPUs, C09 and C14's `cpu_scaling`) over the runs given, draw
samples of each pair count from them, and say how often the interval of the median straddles a bar and how wide it
is. The pairs are drawn as if independent; runs and slow spells differ, so the share is a floor. This is how the full
profile's `judged_rounds` was chosen (experiments/profiles.py).

    python scripts/pairs_needed.py [RUN.json | FOLDER ...] [--model threads] [--bar 1.1] [--pairs 9 25 50]
"""

import argparse
import os
import sys

from analysis import cli, pairs, stats
from analysis.records import RESULTS


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("inputs", nargs="*", default=[os.path.join(RESULTS, "runs")], help="run files or folders")
    parser.add_argument("--model", default="threads", help="the model whose speedups are pooled (default: threads)")
    parser.add_argument("--bar", type=float, default=1.1, help="the bar an interval must not straddle (default 1.1)")
    parser.add_argument("--pairs", type=int, nargs="+", default=[9, 25, 50], help="pair counts to try")
    args = parser.parse_args(argv)
    loaded = cli.load(args.inputs, "pairs_needed.py")
    if loaded is None:
        return 2
    speedups, runs = pairs.judged_speedups(loaded.table, args.model)
    if not speedups:
        print("pairs_needed.py: no warm {} records at a judged N".format(args.model), file=sys.stderr)
        return 2
    print(
        "{} pairs of {} from {} runs: speedups {:.2f}-{:.2f}, median {:.2f}".format(
            len(speedups), args.model, runs, min(speedups), max(speedups), stats.median(speedups)
        )
    )
    print("pairs  straddle {}  median width".format(args.bar))
    for count, share, width in pairs.needed(speedups, args.pairs, args.bar):
        print("{:>5}  {:>11.1%}  {:.3f}".format(count, share, width))
    return cli.exit_code(loaded)


if __name__ == "__main__":
    sys.exit(main())
