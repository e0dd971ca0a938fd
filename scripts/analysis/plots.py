"""PNG plots of recorded runs: speedup against workers with the ideal line and the fitted serial fraction, and
cost against payload size on log axes. Each names its claim IDs in the title and its run in a caption line.
"""

import math

import matplotlib

matplotlib.use("Agg")  # files only: no screen needed
import matplotlib.pyplot as plt  # noqa: E402
from analysis import stats  # noqa: E402
from analysis.rules.primitives import select  # noqa: E402


def caption(rows):
    """Interpreter, build, GIL state, machine, CPUs and profile of the run behind a plot."""
    first = rows.iloc[0]
    if rows["interpreter"].nunique() > 1:
        return "latest runs of {} on {}; profile {}".format(
            ", ".join(sorted(rows["interpreter"].unique())),
            ", ".join(rows["machine"].unique()),
            "/".join(rows["profile"].unique()),
        )
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
    _finish(figure, "{}: cost against payload size ({})".format(claims, rows["measurement"].iloc[0]), rows, path)


def payload_series(rows):
    """The rows of one run that vary `size_bytes` across models, grouped by measurement: one payload plot each."""
    if "size_bytes" not in rows:
        return {}
    sized = rows[rows["size_bytes"].notna()]
    return {
        name: select(sized, measurement=name)
        for name in sized["measurement"].unique()
        if select(sized, measurement=name)["size_bytes"].nunique() > 1
    }


def safe_name(*parts):
    return (
        "-".join(str(p) for p in parts if p is not None and not (isinstance(p, float) and math.isnan(p)))
        .replace("/", "_")
        .replace(" ", "_")
    )


def lateness_plot(rows, path):
    """C06: median and p99 lateness of the periodic tick per background load and switch interval."""
    ticks = select(rows, measurement="tick_lateness").sort_values(["load", "switch_interval_ms"])
    labels = ["{}\n{:g} ms".format(r.load, r.switch_interval_ms) for r in ticks.itertuples()]
    positions = range(len(ticks))
    figure, axis = plt.subplots(figsize=(8, 4.8))
    width = 0.4
    axis.bar([p - width / 2 for p in positions], ticks["lateness_median_s"] * 1e3, width, label="median")
    axis.bar([p + width / 2 for p in positions], ticks["lateness_p99_s"] * 1e3, width, label="p99")
    axis.axhline(ticks["tick_period_s"].iloc[0] * 1e3, color="0.4", linestyle="--", label="one tick period")
    axis.set_xticks(list(positions))
    axis.set_xticklabels(labels, fontsize=8)
    axis.set_xlabel("CPU-bound load beside the loop, and the switch interval")
    axis.set_ylabel("lateness of a wake-up (ms)")
    axis.set_yscale("log")
    axis.grid(alpha=0.3, axis="y")
    axis.legend(fontsize=8)
    _finish(figure, "C06: lateness of a 100 Hz UI-like tick", rows, path)


def memory_plot(rows, path):
    """C16: USS of the whole process tree against idle workers, per model."""
    idle = select(rows, measurement="idle_workers")
    figure, axis = plt.subplots(figsize=(7, 4.8))
    for row in idle.itertuples():
        axis.plot(
            row.worker_grid,
            row.uss_mib,
            marker="o",
            label="{}: {:.2f} MiB per worker".format(row.model, row.uss_mib_per_worker),
        )
    axis.set_xlabel("idle workers N")
    axis.set_ylabel("USS of the process tree (MiB)")
    axis.grid(alpha=0.3)
    axis.legend(fontsize=8)
    _finish(figure, "C16: memory per extra idle worker", rows, path)


def version_order(interpreter):
    """`cpython-3.8.18` before `cpython-3.10.13`; a free-threaded `t` build right after its GIL twin."""
    name, _, version = interpreter.partition("-")
    numbers = version.rstrip("t").split(".")
    return name, [int(n) for n in numbers if n.isdigit()], version.endswith("t")


def lost_updates_plot(rows, path):
    """C20: share of unlocked updates lost, per operation and switch interval, a bar per interpreter."""
    runs = rows.assign(lost_share=rows["lost_total"] / (rows["expected_per_round"] * rows["rounds"]))
    cases = runs.drop_duplicates(["operation", "switch"])[["operation", "switch"]].values.tolist()
    interpreters = sorted(runs["interpreter"].unique(), key=version_order)
    figure, axis = plt.subplots(figsize=(max(8, 1.1 * len(cases)), 4.8))
    width = 0.8 / len(interpreters)
    for index, interpreter in enumerate(interpreters):
        mine = runs[runs["interpreter"] == interpreter]
        shares = [select(mine, operation=op, switch=sw)["lost_share"].max() for op, sw in cases]
        axis.bar([c + index * width for c in range(len(cases))], shares, width, label=interpreter)
    axis.set_xticks([c + width * (len(interpreters) - 1) / 2 for c in range(len(cases))])
    axis.set_xticklabels(["{}\n{}".format(op, sw) for op, sw in cases], fontsize=7)
    axis.set_ylabel("updates lost (share of all updates)")
    axis.grid(alpha=0.3, axis="y")
    axis.legend(fontsize=8)
    _finish(figure, "C20: lost updates of unlocked shared state, per interpreter", rows, path)
