"""experiments/together.py: threads released together hand back their results in order, or the first error."""

import threading

import pytest

from experiments.together import run_together


def test_results_come_back_in_the_order_of_the_calls_from_threads_of_their_own():
    idents = run_together([(threading.get_ident, ())] * 3)
    assert len(set(idents)) == 3 and threading.get_ident() not in idents
    assert run_together([(abs, (-1,)), (abs, (-2,))]) == [1, 2]


def test_an_error_in_one_thread_is_raised_once_all_have_finished():
    """The root conftest's `nothing_left_behind` fails this test if a thread is still running after it."""
    with pytest.raises(ValueError):
        run_together([(int, ("1",)), (int, ("not a number",))])
