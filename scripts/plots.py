"""PNG plots of recorded runs: speedup against workers with the ideal line and the fitted serial fraction, and
cost against payload size on log axes. Each names its claim IDs in the title and its run in a caption line.
"""

import math

import matplotlib

matplotlib.use("Agg")  # files only: no screen needed
import matplotlib.pyplot as plt  # noqa: E402

import stats  # noqa: E402
from rules.common import select  # noqa: E402


def caption(rows):
    """Interpreter, build, GIL state, machine, CPUs and profile of the run behind a plot."""
    first = rows.iloc[0]
    return "{} ({} build, GIL {}) on {}: {} usable of {} logical CPUs; profile {}\nrun {}".format(
        first["interpreter"],
        first["build"],
        "on" if first["gil_enabled"] else "off",
        first["machine"],
        first["cpu_usable"],
        first["cpu_logical"],
        first["profile"],
        first["run"],
    )


def _finish(figure, title, rows, path):
    figure.suptitle(title)
    figure.text(0.01, 0.01, caption(rows), fontsize=7, color="0.3")
    figure.tight_layout(rect=(0, 0.05, 1, 0.95))
    figure.savefig(path, dpi=110)
    plt.close(figure)


def scaling_plot(curves, rows, path):
    """Speedup over serial against N, a line per model (dashed: cold pools), a panel per workload, with the ideal
    speedup min(N, limit) and each curve's Amdahl serial fraction in the legend."""
    workloads = sorted(curves["workload"].dropna().unique()) if "workload" in curves else []
    panels = workloads or [None]
    figure, axes = plt.subplots(1, len(panels), figsize=(6.5 * len(panels), 4.8), squeeze=False)
    for axis, workload in zip(axes[0], panels):
        mine = curves if workload is None else curves[curves["workload"] == workload]
        workers = sorted(mine["workers"].unique())
        limits = [min(n, mine["limit"].max()) for n in workers]
        axis.plot(workers, limits, color="0.6", linewidth=3, alpha=0.5, label="ideal: min(N, physical limit)")
        for (model, lifecycle), curve in mine.groupby(["model", "lifecycle"], sort=True):
            curve = curve.sort_values("workers")
            fit = curve.iloc[0]
            fraction = stats.Interval(fit["serial_fraction"], fit["fraction_low"], fit["fraction_high"], "")
            label = "{} ({}): serial fraction {}".format(model, lifecycle, stats.describe_fraction(fraction))
            errors = [
                (curve["speedup"] - curve["ci_low"]).clip(lower=0),
                (curve["ci_high"] - curve["speedup"]).clip(lower=0),
            ]
            axis.errorbar(
                curve["workers"],
                curve["speedup"],
                yerr=errors,
                marker="o",
                capsize=3,
                label=label,
                linestyle="--" if lifecycle == "cold" else "-",
            )
        axis.set_xscale("log", base=2)
        axis.set_xticks(workers)
        axis.set_xticklabels([str(n) for n in workers])
        axis.set_xlabel("workers N")
        axis.set_ylabel("speedup over serial (x), 95% CI")
        bound = mine["bound"].iloc[0]
        limit = "usable CPUs = {}".format(mine["usable_cpus"].iloc[0]) if bound == "cpu" else "none (waits overlap)"
        axis.set_title(
            "{}{}-bound; physical limit: {}".format(workload + ", " if workload else "", bound, limit), fontsize=9
        )
        axis.grid(alpha=0.3)
        axis.legend(fontsize=7)
    title = "{}: speedup over serial ({})".format(
        curves["claims"].iloc[0].replace(" ", ", "), curves["experiment"].iloc[0]
    )
    _finish(figure, title, rows, path)


def payload_plot(rows, path):
    """Median time against payload size per model, log-log, with the interquartile range as error bars."""
    figure, axis = plt.subplots(figsize=(7, 4.8))
    for model, series in rows.groupby("model", sort=False):
        series = series.sort_values("size_bytes")
        axis.errorbar(
            series["size_bytes"], series["median_s"], yerr=series["iqr_s"] / 2, marker="o", capsize=3, label=model
        )
    axis.set_xscale("log", base=2)
    axis.set_yscale("log")
    axis.set_xlabel("payload size (bytes)")
    axis.set_ylabel("median time per hand-over and reply (s)")
    axis.grid(alpha=0.3, which="both")
    axis.legend(fontsize=8)
    claims = rows["claims"].iloc[0].replace(" ", ", ")
    _finish(figure, "{}: cost against payload size ({})".format(claims, rows["test"].iloc[0]), rows, path)


def payload_series(rows):
    """The rows of one run that vary `size_bytes` across models, grouped by test: one payload plot each."""
    if "size_bytes" not in rows:
        return {}
    sized = rows[rows["size_bytes"].notna()]
    return {
        test: select(sized, test=test)
        for test in sized["test"].unique()
        if select(sized, test=test)["size_bytes"].nunique() > 1
    }


def safe_name(*parts):
    return (
        "-".join(str(p) for p in parts if p is not None and not (isinstance(p, float) and math.isnan(p)))
        .replace("/", "_")
        .replace(" ", "_")
    )
