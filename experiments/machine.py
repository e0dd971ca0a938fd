"""What the interpreter and the machine are: recorded with every run, so no number travels without them.

pytest-benchmark's own machine info cannot tell 3.13 from 3.13t, nor count the CPUs this process may use.
"""

import multiprocessing
import os
import platform
import sys
import sysconfig

import psutil


def usable_cpus():
    """CPUs this process may run on (affinity), which can be fewer than the machine has."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


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
    return {
        "interpreter": interpreter_label(),
        "implementation": sys.implementation.name,
        "version": platform.python_version(),
        "version_full": sys.version,
        "build": "free-threaded" if free_threaded_build() else "gil",
        "gil_enabled": gil_enabled(),
        "cpu_logical": psutil.cpu_count(logical=True),
        "cpu_physical": psutil.cpu_count(logical=False),
        "cpu_usable": usable_cpus(),
        "memory_total_bytes": psutil.virtual_memory().total,
        "start_method_default": multiprocessing.get_start_method(),
        "start_methods": start_methods(),
        "switch_interval_s": sys.getswitchinterval(),
        "platform": platform.platform(),
    }
