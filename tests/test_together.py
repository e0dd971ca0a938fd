"""experiments/together.py: threads released together hand back their results in order, or the first error; the
switch interval is put back; work sized by CPU time takes about that much."""

import sys
import threading
import time

import pytest

from experiments.profiles import sized_by_cpu
from experiments.together import run_together, switch_interval


def test_results_come_back_in_the_order_of_the_calls_from_threads_of_their_own():
    idents = run_together([(threading.get_ident, ())] * 3)
    assert len(set(idents)) == 3 and threading.get_ident() not in idents
    assert run_together([(abs, (-1,)), (abs, (-2,))]) == [1, 2]


def test_an_error_in_one_thread_is_raised_once_all_have_finished():
    """The root conftest's `nothing_left_behind` fails this test if a thread is still running after it."""
    with pytest.raises(ValueError):
        run_together([(int, ("1",)), (int, ("not a number",))])


def test_work_sized_by_cpu_time_takes_about_that_much_cpu_time():
    units = sized_by_cpu(lambda n: sum(range(n)), 0.02, size=20000)
    start = time.thread_time()
    sum(range(units))
    assert 0.005 < time.thread_time() - start < 0.2


def test_the_switch_interval_is_put_back_whatever_happens_in_the_block():
    before = sys.getswitchinterval()
    with pytest.raises(RuntimeError), switch_interval(0.02) as interval:
        assert interval == pytest.approx(0.02) == sys.getswitchinterval()
        raise RuntimeError
    assert sys.getswitchinterval() == before
