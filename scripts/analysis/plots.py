"""PNG plots of recorded runs: speedup against workers with the ideal line and the fitted serial fraction, and
cost against payload size on log axes. Each names its claim IDs in the title and its run in a caption line.
"""

import math

import matplotlib
import pandas as pd

matplotlib.use("Agg")  # files only: no screen needed
import matplotlib.pyplot as plt  # noqa: E402
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
    speedup min(N, limit); error bars are each point's 95% interval."""
    workloads = sorted(curves["workload"].dropna().unique()) if "workload" in curves else []
    panels = workloads or [None]
    figure, axes = plt.subplots(1, len(panels), figsize=(6.5 * len(panels), 4.8), squeeze=False)
    for axis, workload in zip(axes[0], panels):
        mine = curves if workload is None else curves[curves["workload"] == workload]
        workers = sorted(mine["workers"].unique())
        limits = mine.drop_duplicates("workers").sort_values("workers")["limit"]
        axis.plot(workers, limits, color="0.6", linewidth=3, alpha=0.5, label="ideal: min(N, physical limit)")
        lifecycles = mine["lifecycle"].fillna("warm") if "lifecycle" in mine else pd.Series("warm", index=mine.index)
        for (model, lifecycle), curve in mine.assign(lifecycle=lifecycles).groupby(["model", "lifecycle"], sort=True):
            curve = curve.sort_values("workers")
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
                label="{} ({})".format(model, lifecycle),
                linestyle="--" if lifecycle == "cold" else "-",
            )
        axis.set_xscale("log", base=2)
        axis.set_xticks(workers)
        axis.set_xticklabels([str(n) for n in workers])
        axis.set_xlabel("workers N (each one task: weak scaling)")
        axis.set_ylabel("speedup N x serial / round (x), 95% CI")
        bound = mine["bound"].iloc[0]
        limit = "usable CPUs = {:g}".format(mine["usable_cpus"].iloc[0]) if bound == "cpu" else "none (waits overlap)"
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
    """C06: how late a 60 Hz UI loop finished its frames (median and p99, in ms, against one frame) and how long an
    I/O thread's answers took (against a human's 0.1 s budget), per CPU-bound load beside it: a pure-Python loop or
    one long C call after another, in a thread or in a process, and the switch interval."""
    frames = select(rows, measurement="frame_lateness").sort_values(["place", "load", "switch_interval_ms"])
    trips = select(rows, measurement="io_round_trips").sort_values(["place", "load"])
    figure, (left, right) = plt.subplots(
        1, 2, figsize=(12, 4.8), gridspec_kw={"width_ratios": [len(frames) or 1, len(trips) or 1]}
    )
    width = 0.4
    panels = [
        (left, frames, "lateness", "one frame", "frame done after it was due", True),
        (right, trips, "trip", "0.1 s: a human's budget for at once", "answer", False),
    ]
    for axis, cases, stat, bar_label, unit, by_interval in panels:
        if cases.empty:
            axis.set_axis_off()
            continue
        positions = list(range(len(cases)))
        labels = [
            "{}\n{}{}".format(
                "idle" if r["place"] == "none" else r["load"].replace("_", " "),
                "" if r["place"] == "none" else "in a " + r["place"],
                "\n{:g} ms".format(r["switch_interval_ms"]) if by_interval and r["place"] != "none" else "",
            )
            for r in cases.to_dict("records")
        ]
        bar = cases["frame_period_s"].iloc[0] if by_interval else 0.1
        axis.bar([p - width / 2 for p in positions], cases[stat + "_median_s"] * 1e3, width, label="median")
        axis.bar([p + width / 2 for p in positions], cases[stat + "_p99_s"] * 1e3, width, label="p99")
        axis.axhline(bar * 1e3, color="0.4", linestyle="--", label=bar_label)
        axis.set_xticks(positions)
        axis.set_xticklabels(labels, fontsize=7)
        axis.set_ylabel("{} (ms)".format(unit))
        axis.set_yscale("log")
        axis.grid(alpha=0.3, axis="y")
        axis.legend(fontsize=8)
    left.set_title("frames of the UI loop, by load and switch interval", fontsize=9)
    right.set_title("an I/O thread's answers, at the default switch interval", fontsize=9)
    _finish(figure, "C06: a 60 Hz UI loop and an I/O thread beside CPU-bound work", rows, path)


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
    """C20: a table of which forms of update lost updates, per interpreter (columns) and switch interval: each cell
    the share of updates lost, white where none was; single statements first, then several, then under a Lock."""
    kinds = {"one statement": 0, "several statements": 1, "locked": 2}
    runs = rows.assign(lost_share=rows["lost_total"] / (rows["expected_per_round"] * rows["rounds"]))
    forms = runs.drop_duplicates("form")
    forms = forms.assign(order=forms["kind"].map(kinds).fillna(len(kinds))).sort_values("order", kind="stable")
    interpreters = sorted(runs["interpreter"].unique(), key=version_order)
    intervals = sorted(runs["switch_interval_s"].unique(), reverse=True)
    columns = [(i, s) for i in interpreters for s in intervals]
    shares = [
        [select(runs, form=f, interpreter=i, switch_interval_s=s)["lost_share"].max() for i, s in columns]
        for f in forms["form"]
    ]
    labels = [
        "{}\n({})".format(r.get("code", r["form"]).replace("; ", ";\n"), r["kind"]) for r in forms.to_dict("records")
    ]
    width = 1.5 + 0.065 * max(len(line) for label in labels for line in label.split("\n")) + 1.2 * len(columns)
    figure, axis = plt.subplots(figsize=(max(8, width), 1.8 + 0.6 * len(forms)))
    axis.imshow([[0 if pd.isna(v) else v for v in row] for row in shares], cmap="Reds", vmin=0, vmax=1, aspect="auto")
    for y, row in enumerate(shares):
        for x, share in enumerate(row):
            text = (
                "-" if pd.isna(share) else ("0" if share == 0 else "{:.0%}".format(share) if share >= 0.01 else "<1%")
            )
            axis.text(
                x, y, text, ha="center", va="center", fontsize=8, color="white" if share and share > 0.5 else "black"
            )
    axis.set_xticks(range(len(columns)))
    axis.set_xticklabels(["{}\n{:g} ms".format(i, s * 1000) for i, s in columns], fontsize=7)
    axis.set_yticks(range(len(forms)))
    axis.set_yticklabels(labels, fontsize=7)
    axis.set_xticks([x - 0.5 for x in range(1, len(columns))], minor=True)
    axis.set_yticks([y - 0.5 for y in range(1, len(forms))], minor=True)
    axis.grid(which="minor", color="0.85")
    axis.tick_params(which="minor", length=0)
    _finish(
        figure, "C20: share of updates lost by threads at once, per form, interpreter and switch interval", rows, path
    )
