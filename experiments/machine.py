"""What the interpreter and the machine are: recorded with every run, so no number travels without them.

pytest-benchmark's own machine info cannot tell 3.13 from 3.13t, nor count the CPUs this process may use: the
affinity set, capped by a cgroup CPU quota (a container started with `--cpus=1` still lists every host CPU).
"""

import math
import multiprocessing
import os
import platform
import sys
import sysconfig

import psutil

CGROUP = "/sys/fs/cgroup"


def affinity_cpus():
    """The logical CPUs this process may run on, sorted."""
    if hasattr(os, "sched_getaffinity"):
        return sorted(os.sched_getaffinity(0))
    return list(range(os.cpu_count() or 1))


def _read(path):
    try:
        with open(path) as handle:
            return handle.read().strip()
    except OSError:
        return None


def _quota_v2(root, path):
    """The tightest `cpu.max` quota (CPUs) from this cgroup up to the root, or None."""
    tightest = None
    while True:
        found = _read(os.path.join(root, path.lstrip("/"), "cpu.max"))
        if found and not found.startswith("max"):
            quota, period = found.split()
            cpus = int(quota) / int(period)
            tightest = cpus if tightest is None else min(tightest, cpus)
        if path in ("", "/"):
            return tightest
        path = os.path.dirname(path.rstrip("/"))


def _quota_v1(root, path):
    """The CFS quota (CPUs) of cgroup v1's cpu controller, or None."""
    for folder in [os.path.join(root, "cpu", path.lstrip("/")), os.path.join(root, "cpu")]:
        quota, period = (_read(os.path.join(folder, name)) for name in ("cpu.cfs_quota_us", "cpu.cfs_period_us"))
        if quota and period and int(quota) > 0:
            return int(quota) / int(period)
    return None


def cpu_quota(root=CGROUP, membership="/proc/self/cgroup"):
    """CPUs this process's cgroup may use per second (cgroup v2 `cpu.max`, or v1's CFS quota), or None when no
    quota caps it."""
    lines = (_read(membership) or "").splitlines()
    for line in lines:
        hierarchy, controllers, path = line.split(":", 2)
        if hierarchy == "0" and controllers == "":
            found = _quota_v2(root, path)
            if found is not None:
                return found
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if "cpu" in controllers.split(","):
            return _quota_v1(root, path)
    return None


def usable_cpus():
    """CPUs this process can keep busy at once: the affinity set, capped by a CPU quota (which may be fractional,
    e.g. 1.5 for `docker --cpus=1.5`)."""
    affinity = len(affinity_cpus())
    quota = cpu_quota()
    return affinity if quota is None or quota >= affinity else round(quota, 2)


def usable_workers():
    """Usable CPUs as a worker count: at least 1, a fractional quota rounded up."""
    return max(1, math.ceil(usable_cpus()))


def core_siblings(cpu):
    """The logical CPUs sharing a physical core with `cpu` (its SMT siblings, itself included), as Linux reports
    them; just [cpu] where the topology is not readable."""
    listed = _read("/sys/devices/system/cpu/cpu{}/topology/thread_siblings_list".format(cpu))
    if not listed:
        return [cpu]
    siblings = []
    for part in listed.split(","):
        low, _, high = part.partition("-")
        siblings.extend(range(int(low), int(high or low) + 1))
    return siblings


def free_threaded_build():
    """True on a build compiled without the GIL (3.13t, 3.14t), whether or not the GIL is on right now."""
    return bool(sysconfig.get_config_var("Py_GIL_DISABLED"))


def gil_enabled():
    """Whether the GIL is on at run time; a free-threaded build can turn it back on (PYTHON_GIL=1)."""
    is_enabled = getattr(sys, "_is_gil_enabled", None)
    return True if is_enabled is None else bool(is_enabled())


def interpreter_label():
    """`cpython-3.13.0` or `cpython-3.13.0t`: the build is part of the name, so the two never mix."""
    suffix = "t" if free_threaded_build() else ""
    return "{}-{}{}".format(sys.implementation.name, platform.python_version(), suffix)


def start_methods():
    """Start methods this platform has, in a fixed order."""
    available = multiprocessing.get_all_start_methods()
    return [method for method in ("fork", "spawn", "forkserver") if method in available]


def describe():
    """Everything about this interpreter and machine that a verdict depends on."""
    first = affinity_cpus()[0]
    return {
        "interpreter": interpreter_label(),
        "implementation": sys.implementation.name,
        "version": platform.python_version(),
        "version_full": sys.version,
        "build": "free-threaded" if free_threaded_build() else "gil",
        "gil_enabled": gil_enabled(),
        "cpu_logical": psutil.cpu_count(logical=True),
        "cpu_physical": psutil.cpu_count(logical=False),
        "cpu_affinity": len(affinity_cpus()),
        "cpu_quota": cpu_quota(),
        "cpu_usable": usable_cpus(),
        "core_siblings": core_siblings(first),
        "memory_total_bytes": psutil.virtual_memory().total,
        "start_method_default": multiprocessing.get_start_method(),
        "start_methods": start_methods(),
        "switch_interval_s": sys.getswitchinterval(),
        "platform": platform.platform(),
    }
