"""X01: does the answer change without a GIL? Decided across settings, from the verdicts of the claims the GIL is
about: each free-threaded setting beside the GIL build of the same minor version on the same machine, and beside
the same free-threaded binary run with the GIL turned back on (PYTHON_GIL=1), the control that tells the GIL's
part from the rest of the build's.
"""

import json

from analysis.rules import across
from analysis.rules.primitives import Verdict

CLAIMS = ["C06", "C09", "C12", "C13", "C20", "C21", "C22"]  # what the GIL is about (CLAIMS.md, issue 12)
DECISIVE = {"confirmed", "refuted", "partly"}


def minor(interpreter):
    """`cpython-3.13` from `cpython-3.13.0` or `cpython-3.13.15t`."""
    name, _, version = interpreter.partition("-")
    return "{}-{}".format(name, ".".join(version.rstrip("t").split(".")[:2]))


def _verdicts(decided, machine, interpreter, gil_enabled):
    """{claim: verdict row} of one setting, for the claims the GIL is about."""
    mine = decided[
        (decided["machine"] == machine)
        & (decided["interpreter"] == interpreter)
        & (decided["gil_enabled"] == gil_enabled)
        & decided["claim"].isin(CLAIMS)
    ]
    return {row["claim"]: row for row in mine.to_dict("records")}


def _ratio(row):
    value = row.get("ratio")
    return "" if value is None or value != value else " ({:.2f})".format(value)


def _flip(claim, gil, free, control):
    """One claim's line of evidence and its numbers."""
    text = "{} {}{} -> {}{}".format(claim, gil["verdict"], _ratio(gil), free["verdict"], _ratio(free))
    if control is not None:
        text += ", {} with PYTHON_GIL=1".format(control["verdict"])
    return text


@across("X01")
def answer_changes_without_a_gil(decided):
    """X01 (per free-threaded setting, beside the GIL build of the same minor version):
    confirmed: at least one claim's verdict differs between the two builds, and the free-threaded binary run with
    PYTHON_GIL=1 gives the GIL build's verdict back for every claim that differed and that run decided, at least one
    (the GIL is why);
    refuted: every claim decided by both builds gives the same verdict on both;
    partly: verdicts differ, but with the GIL turned back on the free-threaded binary still gives another decided
    verdict than the GIL build for some of them (the build, not only the GIL, changes those answers);
    inconclusive: no GIL build of the same minor version on the same machine, no claim decided by both, or verdicts
    differ but no PYTHON_GIL=1 run of the binary decided any of them (nothing tells the GIL's part from the build's).
    A claim that differed with no decided PYTHON_GIL=1 verdict has no control, and the evidence names it."""
    found = {}
    free_threaded = decided[(decided["build"] == "free-threaded") & ~decided["gil_enabled"].astype(bool)]
    for setting in free_threaded.drop_duplicates(["machine", "interpreter"]).to_dict("records"):
        machine, interpreter = setting["machine"], setting["interpreter"]
        twins = decided[
            (decided["machine"] == machine)
            & (decided["build"] == "gil")
            & (decided["interpreter"].map(minor) == minor(interpreter))
        ]
        key = (machine, interpreter, False)
        if twins.empty:
            found[key] = Verdict(
                "inconclusive", "no GIL build of {} on {} to compare with".format(minor(interpreter), machine), {}, None
            )
            continue
        twin = sorted(twins["interpreter"].unique())[-1]
        gil = _verdicts(decided, machine, twin, True)
        free = _verdicts(decided, machine, interpreter, False)
        gil_on = _verdicts(decided, machine, interpreter, True)
        both = [c for c in CLAIMS if c in gil and c in free and {gil[c]["verdict"], free[c]["verdict"]} <= DECISIVE]
        if not both:
            found[key] = Verdict(
                "inconclusive",
                "no claim the GIL is about was decided by both {} and {}".format(twin, interpreter),
                {},
                None,
            )
            continue
        changed = [c for c in both if gil[c]["verdict"] != free[c]["verdict"]]
        controlled = [c for c in changed if c in gil_on and gil_on[c]["verdict"] in DECISIVE]
        build_made = [c for c in controlled if gil_on[c]["verdict"] != gil[c]["verdict"]]
        numbers = {
            c: {"gil": gil[c]["verdict"], "free_threaded": free[c]["verdict"], "gil_on": gil_on[c]["verdict"]}
            if c in gil_on
            else {"gil": gil[c]["verdict"], "free_threaded": free[c]["verdict"]}
            for c in both
        }
        evidence = "without a GIL ({} beside {}): {}".format(
            interpreter, twin, "; ".join(_flip(c, gil[c], free[c], gil_on.get(c)) for c in changed) or "none changed"
        )
        if len(controlled) < len(changed):
            evidence += "; no control for {}".format(
                ", ".join(
                    "{} ({} with PYTHON_GIL=1)".format(c, "undecided" if c in gil_on else "not run")
                    for c in changed
                    if c not in controlled
                )
            )
        evidence += "; unchanged: {}".format(
            ", ".join("{} {}".format(c, gil[c]["verdict"]) for c in both if c not in changed) or "none"
        )
        if not changed:
            verdict = "refuted"
        elif build_made:
            verdict = "partly"
            evidence += "; but with the GIL on again the free-threaded binary still differs for {}".format(
                ", ".join(build_made)
            )
        elif not controlled:
            verdict = "inconclusive"
            evidence += "; but no decided PYTHON_GIL=1 verdict of this binary tells whether the GIL is why"
        else:
            verdict = "confirmed"
        found[key] = Verdict(verdict, evidence, json.loads(json.dumps(numbers)), None)
    return found
