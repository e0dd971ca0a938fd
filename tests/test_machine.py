"""What a run records of its machine: the CPUs it may use (affinity capped by a cgroup quota, v2 and v1, read from
a made-up cgroup tree), a core's SMT siblings, the build and the GIL state."""

import sys

from experiments import machine


def cgroup_tree(tmp_path, membership, files):
    """A fake /sys/fs/cgroup under tmp_path and a /proc/self/cgroup saying `membership`."""
    for relative, content in files.items():
        path = tmp_path / "cgroup" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    (tmp_path / "membership").write_text(membership)
    return str(tmp_path / "cgroup"), str(tmp_path / "membership")


def test_a_cgroup_v2_quota_is_the_tightest_cpu_max_from_the_process_up(tmp_path):
    root, membership = cgroup_tree(
        tmp_path,
        "0::/docker/abc\n",
        {"docker/abc/cpu.max": "150000 100000\n", "docker/cpu.max": "max 100000\n"},
    )
    assert machine.cpu_quota(root, membership) == 1.5


def test_a_parent_cgroup_can_set_the_quota(tmp_path):
    root, membership = cgroup_tree(
        tmp_path, "0::/kubepods/pod/container\n", {"kubepods/cpu.max": "100000 100000\n", "kubepods/pod/cpu.max": "max"}
    )
    assert machine.cpu_quota(root, membership) == 1.0


def test_no_quota_anywhere_is_none(tmp_path):
    root, membership = cgroup_tree(tmp_path, "0::/user.slice\n", {"user.slice/cpu.max": "max 100000\n"})
    assert machine.cpu_quota(root, membership) is None


def test_a_cgroup_v1_cfs_quota_counts_too(tmp_path):
    root, membership = cgroup_tree(
        tmp_path,
        "4:memory:/x\n1:cpu,cpuacct:/docker/abc\n0::/\n",
        {"cpu/docker/abc/cpu.cfs_quota_us": "200000\n", "cpu/docker/abc/cpu.cfs_period_us": "100000\n"},
    )
    assert machine.cpu_quota(root, membership) == 2.0


def test_a_v1_quota_of_minus_one_is_none(tmp_path):
    root, membership = cgroup_tree(
        tmp_path, "1:cpu:/\n", {"cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n"}
    )
    assert machine.cpu_quota(root, membership) is None


def test_usable_cpus_are_the_affinity_capped_by_the_quota(monkeypatch):
    monkeypatch.setattr(machine, "affinity_cpus", lambda: list(range(8)))
    monkeypatch.setattr(machine, "cpu_quota", lambda: 1.0)
    assert machine.usable_cpus() == 1.0 and machine.usable_workers() == 1
    monkeypatch.setattr(machine, "cpu_quota", lambda: 2.5)
    assert machine.usable_cpus() == 2.5 and machine.usable_workers() == 3
    monkeypatch.setattr(machine, "cpu_quota", lambda: None)
    assert machine.usable_cpus() == 8


def test_a_core_lists_itself_among_its_siblings():
    first = machine.affinity_cpus()[0]
    assert first in machine.core_siblings(first)


def test_free_threaded_build_is_labelled_with_t(monkeypatch):
    monkeypatch.setattr(machine.sysconfig, "get_config_var", lambda name: 1 if name == "Py_GIL_DISABLED" else None)
    assert machine.free_threaded_build() and machine.interpreter_label().endswith("t")
    monkeypatch.setattr(machine.sysconfig, "get_config_var", lambda name: 0)
    assert not machine.free_threaded_build() and not machine.interpreter_label().endswith("t")


def test_gil_state_is_read_at_run_time_where_the_interpreter_can_tell(monkeypatch):
    monkeypatch.setattr(sys, "_is_gil_enabled", lambda: False, raising=False)
    assert machine.gil_enabled() is False
    monkeypatch.delattr(sys, "_is_gil_enabled")
    assert machine.gil_enabled() is True  # before 3.13 every CPython has the GIL


def test_machine_description_has_what_verdicts_depend_on():
    facts = machine.describe()
    assert 1 <= facts["cpu_usable"] <= facts["cpu_affinity"] <= facts["cpu_logical"]
    assert facts["build"] in ("gil", "free-threaded") and isinstance(facts["gil_enabled"], bool)
    assert facts["start_method_default"] in facts["start_methods"]
    assert facts["switch_interval_s"] > 0 and facts["memory_total_bytes"] > 0
