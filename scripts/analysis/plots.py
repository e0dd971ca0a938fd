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


def switch_interval_plot(rows, path):
    """X05: what the switch interval trades, on one interpreter. Left, the p99 lateness of a 60 Hz UI loop beside a
    CPU-bound thread (a round's, in frames; the median round with its 95% interval) against the interval, the default
    5 ms point pooled from every pair's baseline; middle, the throughput of N CPU-bound threads against the same work
    at the default (per pair, median and 95% interval), a line per N; right, the trade-off curve: lateness against
    throughput (at the largest N), each point named by its interval."""
    from analysis import stats

    swept = select(rows, measurement="switch_interval")
    late = select(swept, kind="lateness").sort_values("switch_interval_ms")
    fast = select(swept, kind="throughput").sort_values("switch_interval_ms")
    figure, (left, middle, right) = plt.subplots(1, 3, figsize=(16, 4.8))
    curve = {}
    for row in late.to_dict("records"):
        found = stats.median_interval([p99 / row["frame_period_s"] for p99 in row["lateness_p99_by_round_s"]])
        curve[row["switch_interval_ms"]] = found
    if len(late):
        default = late.iloc[0]["default_switch_interval_ms"]
        pooled = [
            p / r["frame_period_s"] for r in late.to_dict("records") for p in r["baseline_lateness_p99_by_round_s"]
        ]
        curve.setdefault(default, stats.median_interval(pooled))
    speeds = {}
    for workers, series in fast.groupby("workers", sort=True):
        speeds[workers] = {
            r["switch_interval_ms"]: stats.ratio(r["baseline_s"], r["rounds_s"]) for r in series.to_dict("records")
        }
        default = series.iloc[0]["default_switch_interval_ms"]
        speeds[workers].setdefault(default, stats.Interval(1.0, math.nan, math.nan, "the baseline itself"))
    _interval_line(left, curve, "p99 lateness", "C1")
    left.axhline(1, color="0.4", linestyle="--", label="one frame: the next one dropped")
    left.set_ylabel("a round's p99 lateness (frames of 16.7 ms)")
    left.set_title("UI loop beside a pure-Python thread", fontsize=9)
    for index, (workers, points) in enumerate(speeds.items()):
        _interval_line(middle, points, "{:g} threads".format(workers), "C{}".format(index + 2))
    middle.axhline(1, color="0.4", linestyle="--", label="as fast as at the default")
    middle.set_ylabel("throughput against the default 5 ms (x), 95% CI")
    middle.set_title("CPU-bound threads, paired with the default", fontsize=9)
    for axis in (left, middle):
        axis.set_xscale("log")
        axis.set_xlabel("switch interval (ms)")
        axis.axvline(5, color="0.7", linewidth=0.8)
        axis.grid(alpha=0.3, which="both")
        axis.legend(fontsize=7)
    if speeds:
        workers = max(speeds)
        shared = sorted(set(curve) & set(speeds[workers]))
        right.plot([speeds[workers][ms].value for ms in shared], [curve[ms].value for ms in shared], "o-", color="C0")
        for ms in shared:
            right.annotate("{:g} ms".format(ms), (speeds[workers][ms].value, curve[ms].value), fontsize=7)
        right.set_xlabel("throughput of {:g} CPU-bound threads against the default (x)".format(workers))
    right.set_ylabel("the UI loop's p99 lateness (frames)")
    left.set_ylim(bottom=0)
    right.set_ylim(bottom=0)
    right.set_title("the trade: each point one switch interval", fontsize=9)
    right.grid(alpha=0.3)
    _finish(figure, "X05: what the switch interval trades (responsiveness against throughput)", rows, path)


def _interval_line(axis, points, label, color):
    """A line through {x: stats.Interval} with each point's interval as an error bar (none where it has none)."""
    xs = sorted(points)
    values = [points[x].value for x in xs]
    below = [0 if math.isnan(points[x].low) else max(0, points[x].value - points[x].low) for x in xs]
    above = [0 if math.isnan(points[x].high) else max(0, points[x].high - points[x].value) for x in xs]
    axis.errorbar(xs, values, yerr=[below, above], marker="o", capsize=3, label=label, color=color)


def concurrency_plot(rows, path):
    """X03: threads against asyncio at N concurrent waits, a column per workload. Top, waits per second (the median
    round, its range as error bars) against N, log-log, with the ideal N / wait; bottom, private memory (USS) per
    parked waiter. A hollow marker where the model did not carry N, and the reason its probe gave beside it."""
    from analysis import stats

    waits = select(rows, measurement="concurrent_waits")
    if "null_control" in waits:
        waits = waits[waits["null_control"].isna() | (waits["null_control"] == False)]  # noqa: E712
    workloads = [w for w in ["sleep", "loopback"] if w in set(waits["workload"])]
    figure, axes = plt.subplots(2, max(1, len(workloads)), figsize=(6.5 * max(1, len(workloads)), 8), squeeze=False)
    for column, workload in enumerate(workloads):
        mine = waits[waits["workload"] == workload].sort_values("concurrency")
        top, bottom = axes[0][column], axes[1][column]
        ns = [int(n) for n in mine["concurrency"]]
        ideal = [n / (mine["wait_ms"].iloc[0] / 1000) for n in ns]
        top.plot(ns, ideal, color="0.6", linewidth=3, alpha=0.5, label="ideal: N / wait")
        for index, model in enumerate(["asyncio", "threads"]):
            color = "C{}".format(index)
            points, memory = [], []
            for row in mine.to_dict("records"):
                flag = row.get(model + "_practical")
                n, carried = int(row["concurrency"]), not pd.isna(flag) and bool(flag)
                column_name = "rounds_s" if row.get("contender") == model else None
                if row.get("baseline") == model and isinstance(row.get("baseline_s"), list):
                    column_name = "baseline_s"
                times = row.get(column_name) if column_name else None
                if isinstance(times, list) and times:
                    rate = n * row["waits_per_round"]
                    points.append((n, rate / stats.median(times), rate / max(times), rate / min(times)))
                per_wait = row.get(model + "_uss_kib_per_wait")
                if isinstance(per_wait, float) and not math.isnan(per_wait):
                    memory.append((n, per_wait, carried))
                if not carried and isinstance(row.get(model + "_stopped"), str):
                    top.annotate(
                        "{}: {}".format(model, row[model + "_stopped"]),
                        (n, ideal[ns.index(n)]),
                        fontsize=6,
                        color=color,
                        ha="right",
                        va="top" if index else "bottom",
                    )
            if points:
                xs, ys, low, high = zip(*points)
                top.errorbar(
                    xs,
                    ys,
                    yerr=[[y - lo for y, lo in zip(ys, low)], [hi - y for y, hi in zip(ys, high)]],
                    marker="o",
                    capsize=3,
                    color=color,
                    label=model,
                )
            if memory:
                xs, ys, held = zip(*memory)
                bottom.plot(xs, ys, color=color, label=model)
                bottom.scatter(xs, ys, color=[color if h else "white" for h in held], edgecolors=color, zorder=3, s=30)
        for axis in (top, bottom):
            axis.set_xscale("log")
            axis.set_xticks(ns)
            axis.set_xticklabels(["{:,}".format(n) for n in ns])
            axis.set_xlabel("concurrent waits N")
            axis.grid(alpha=0.3, which="both")
            axis.legend(fontsize=7)
        top.set_yscale("log")
        top.set_ylabel("waits per second (median round; range)")
        top.set_title("{}: throughput".format(workload), fontsize=9)
        bottom.set_ylabel("private memory (USS) per parked waiter (KiB)")
        bottom.set_title("{}: memory per wait (hollow: not carried)".format(workload), fontsize=9)
    _finish(figure, "X03: threads or asyncio at N concurrent waits", rows, path)
