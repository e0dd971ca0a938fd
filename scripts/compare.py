"""Compare two sets of recorded runs: which verdicts changed, and which ratios moved beyond their intervals.

    python scripts/compare.py A B      (each a run JSON file or a folder of them)

For 3.12 against 3.13, GIL against free-threaded, or this machine against another. When A and B each hold one
interpreter, claims are paired across them; otherwise by interpreter and GIL state.
"""

import argparse
import sys

from analysis import cli
from analysis.compare import NOISE_FLOOR, changed_verdicts, moved_benchmarks
from analysis.verdicts import verdicts


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("a", help="run JSON file or folder")
    parser.add_argument("b", help="run JSON file or folder")
    args = parser.parse_args(argv)
    loaded_a, loaded_b = cli.load([args.a], "compare.py"), cli.load([args.b], "compare.py")
    if loaded_a is None or loaded_b is None:
        return 2
    table_a, table_b = loaded_a.table, loaded_b.table
    verdict_lines = changed_verdicts(verdicts(table_a), verdicts(table_b))
    print("Verdicts that changed or whose ratio moved beyond its interval ({}):".format(len(verdict_lines)))
    print("\n".join("  " + line for line in verdict_lines) or "  none")
    bench_lines = moved_benchmarks(table_a, table_b)
    print(
        "Benchmarks whose time moved by more than {:.0%}, interval included ({}):".format(NOISE_FLOOR, len(bench_lines))
    )
    print("\n".join("  " + line for line in bench_lines) or "  none")
    return max(cli.exit_code(loaded_a), cli.exit_code(loaded_b))


if __name__ == "__main__":
    sys.exit(main())
