"""C17: passing data to a process costs more than passing it to a thread; and, for X02, what passing it to a
subinterpreter costs.

The post: "Some caveats of the module are a larger memory footprint and IPC’s a little more complicated with
more overhead."

Measured, in pairs: round trips of a payload of 8 B to 16 MiB to a process partner that sends it back, over
`multiprocessing.Queue`, over `multiprocessing.Pipe`, and through a `multiprocessing.shared_memory` segment with a
size sent over a Pipe as the notification; each round paired with as many round trips of the same payload to a
thread partner over `queue.Queue`, the baseline (both partners alive throughout). Small payloads make several round
trips per round (`round_trips`, up to BATCH_BYTES and MAX_ROUND_TRIPS) so that a round lasts well over the timer's
resolution. The thread's round trips against themselves are the null control. Partners are started before the clock
(start-up is C05's question), so the start method only decides how the partner came to be, not how the bytes travel:
the platform's default is used and recorded. Bandwidth is twice the payload over the round trip. Rule:
`c17.ipc_costs_more` in scripts/analysis/rules/c17.py.

For X02 (`interpreter_round_trip`, a measurement of its own that C17's rule does not read): the same round trips to a
subinterpreter partner (a thread running in an interpreter of its own) over a pair of PEP 734 queues
(`interpreters.Queue`: a copy of the payload each way), paired with the thread's queue.Queue round trips; the
thread's against themselves are its null control. Its get() polls every 10 ms (so does 3.14's), so a round trip takes
10 to 20 ms at any size: a round makes at most INTERPRETER_ROUND_TRIPS of them.
"""

import collections
import contextlib
import functools
import multiprocessing
import os
import queue
import threading
from multiprocessing import shared_memory

import pytest

from experiments.models import interpreters_module, stop, unavailable, worker
from experiments.profiles import KIB, MIB
from experiments.vocabulary import SUBINTERPRETERS, THREADS
from experiments.workloads.sharing import echo_pipe, echo_queue, echo_shared_memory

pytestmark = pytest.mark.claim("C17", "X02")
THREAD_CHANNEL = "queue.Queue"  # every pair's baseline
PROCESS_CHANNELS = ["multiprocessing.Queue", "multiprocessing.Pipe", "multiprocessing.shared_memory"]
CHANNELS = [THREAD_CHANNEL] + PROCESS_CHANNELS
INTERPRETER_CHANNEL = "interpreters.Queue"  # PEP 734's, to a subinterpreter (X02)
INTERPRETER_ROUND_TRIPS = 2  # at most, per round: each takes 10 to 20 ms (get() polls every 10 ms)
# 8 B to 16 MiB, x64 then x16 apart. 64 MiB is left out: at 0.2-0.5 s a round trip it cost 11 s of a quick run and
# decided nothing that 16 MiB (a copy costing thousands of times a thread's reference) does not.
SIZES = [8, KIB, 64 * KIB, MIB, 16 * MIB]
BATCH_BYTES = 4 * MIB  # small payloads make several round trips per timed round, up to this many bytes...
MAX_ROUND_TRIPS = 100  # ...and at most this many, so a round lasts well over the timer's resolution, and one
# late wake-up of the thread partner (a 1 MiB round trip takes it ~50 us) cannot turn a whole pair around
ROUND_TRIP_TIMEOUT_S = 60  # a partner silent this long is hung
STOP_TIMEOUT_S = 10
SHM_FOLDER = "/dev/shm"  # where Linux keeps POSIX shared memory segments

Partner = collections.namedtuple("Partner", "round_trip model segment")


def pattern(size):
    """`size` bytes that are not all alike, so a shifted or truncated echo cannot pass for the payload."""
    return (bytes(range(256)) * (size // 256 + 1))[:size]


def round_trips_per_round(size):
    return max(1, min(MAX_ROUND_TRIPS, BATCH_BYTES // size))


def round_trips(round_trip, payload, times):
    """`times` round trips of `payload`; returns the last reply (compared with the payload outside the clock)."""
    for _ in range(times):
        reply = round_trip(payload)
    return reply


def stop_partner(process, conn=None):
    """Tell the partner to stop (None on `conn`), wait for it, kill it (a process) if it does not end; close
    `conn`."""
    if conn is not None:
        with contextlib.suppress(OSError):  # a partner that died has closed its end already
            conn.send(None)
    stop(process, STOP_TIMEOUT_S)
    if conn is not None:
        conn.close()


def answer(conn):
    if not conn.poll(ROUND_TRIP_TIMEOUT_S):
        raise TimeoutError("no answer from the partner process in {} s".format(ROUND_TRIP_TIMEOUT_S))
    return conn.recv()


@contextlib.contextmanager
def queue_partner(context):
    """A partner echoing over a pair of queues: a thread's queue.Queue (`context` None), or a process's
    multiprocessing.Queue."""
    if context is None:
        inbox, outbox = queue.Queue(), queue.Queue()
        partner = threading.Thread(target=echo_queue, args=(inbox, outbox))
    else:
        inbox, outbox = context.Queue(), context.Queue()
        partner = context.Process(target=echo_queue, args=(inbox, outbox))
    partner.start()

    def round_trip(payload):
        inbox.put(payload)
        return outbox.get(timeout=ROUND_TRIP_TIMEOUT_S)

    try:
        yield Partner(round_trip, THREADS if context is None else context.get_start_method(), None)
    finally:
        inbox.put(None)
        stop_partner(partner)
        for channel in (inbox, outbox) if context is not None else ():
            if partner.exitcode != 0:
                channel.cancel_join_thread()  # nobody will read what is left: don't wait to flush it
            channel.close()
            channel.join_thread()


@contextlib.contextmanager
def process_pipe(context):
    mine, theirs = context.Pipe()
    process = context.Process(target=echo_pipe, args=(theirs,))
    process.start()
    theirs.close()

    def round_trip(payload):
        mine.send(payload)
        return answer(mine)

    try:
        yield Partner(round_trip, context.get_start_method(), None)
    finally:
        stop_partner(process, mine)


@contextlib.contextmanager
def process_shared_memory(context, size):
    segment = shared_memory.SharedMemory(create=True, size=size)
    try:
        mine, theirs = context.Pipe()
        process = context.Process(target=echo_shared_memory, args=(theirs, segment.name))
        process.start()
        theirs.close()

        def round_trip(payload):
            segment.buf[: len(payload)] = payload
            mine.send(len(payload))
            assert answer(mine) == len(payload)
            return bytes(segment.buf[: len(payload)])

        try:
            yield Partner(round_trip, context.get_start_method(), segment.name)
        finally:
            stop_partner(process, mine)
    finally:
        try:
            segment.close()
        finally:
            segment.unlink()


@contextlib.contextmanager
def interpreter_queue_partner():
    """A subinterpreter partner echoing over a pair of PEP 734 queues (a copy each way)."""
    module = interpreters_module()
    inbox, outbox = module.create_queue(), module.create_queue()
    partner = worker(SUBINTERPRETERS, echo_queue, (inbox, outbox))
    partner.start()

    def round_trip(payload):
        inbox.put(payload)
        return outbox.get(timeout=ROUND_TRIP_TIMEOUT_S)

    try:
        yield Partner(round_trip, SUBINTERPRETERS, None)
    finally:
        inbox.put(None)
        stop_partner(partner)


def echo_partner(channel, size):
    """A running partner on `channel` for payloads up to `size` bytes, stopped (and its segment unlinked) at the
    end of the block."""
    context = multiprocessing.get_context()
    if channel == THREAD_CHANNEL:
        return queue_partner(None)
    if channel == INTERPRETER_CHANNEL:
        return interpreter_queue_partner()
    if channel == "multiprocessing.Queue":
        return queue_partner(context)
    if channel == "multiprocessing.Pipe":
        return process_pipe(context)
    return process_shared_memory(context, size)


@pytest.mark.parametrize("channel", CHANNELS)
def test_partner_returns_the_payload_shared_by_a_thread_copied_by_a_process(channel):
    payload = pattern(1000)
    with echo_partner(channel, len(payload)) as partner:
        reply = partner.round_trip(payload)
    assert reply == payload
    assert (reply is payload) == (partner.model == THREADS)


def test_a_subinterpreter_partner_returns_a_copy_of_the_payload():
    if unavailable(SUBINTERPRETERS):
        pytest.skip(unavailable(SUBINTERPRETERS))
    payload = pattern(1000)
    with echo_partner(INTERPRETER_CHANNEL, len(payload)) as partner:
        reply = partner.round_trip(payload)
    assert reply == payload and reply is not payload


@pytest.mark.skipif(not os.path.isdir(SHM_FOLDER), reason="no {} to look into on this platform".format(SHM_FOLDER))
def test_shared_memory_segment_is_unlinked_even_when_the_block_fails():
    with pytest.raises(RuntimeError):
        with echo_partner("multiprocessing.shared_memory", 1000) as partner:
            name = partner.segment
            assert partner.round_trip(pattern(1000)) == pattern(1000)
            assert name.lstrip("/") in os.listdir(SHM_FOLDER)
            raise RuntimeError
    assert name.lstrip("/") not in os.listdir(SHM_FOLDER)


@pytest.mark.measurement("round_trip")
@pytest.mark.parametrize("size_bytes", SIZES)
@pytest.mark.parametrize("channel", PROCESS_CHANNELS)
def test_round_trip(bench, paired, channel, size_bytes):
    payload, times = pattern(size_bytes), round_trips_per_round(size_bytes)
    with echo_partner(THREAD_CHANNEL, size_bytes) as thread, echo_partner(channel, size_bytes) as process:
        replies, thread_replies = paired(
            functools.partial(round_trips, process.round_trip, payload, times),
            functools.partial(round_trips, thread.round_trip, payload, times),
        )
    assert all(reply == payload for reply in replies + thread_replies), "a partner echoed something else"
    bench.extra_info.update(
        model=process.model,
        baseline_channel=THREAD_CHANNEL,
        round_trips=times,
        process_reply_is_the_payload=replies[-1] is payload,
        thread_reply_is_the_payload=thread_replies[-1] is payload,
    )


@pytest.mark.measurement("round_trip")
def test_round_trip_null_control(bench, paired):
    size_bytes = SIZES[0]
    payload, times = pattern(size_bytes), round_trips_per_round(size_bytes)
    with echo_partner(THREAD_CHANNEL, size_bytes) as thread:
        trips = functools.partial(round_trips, thread.round_trip, payload, times)
        replies, thread_replies = paired(trips, trips, null_control=True)
    assert all(reply == payload for reply in replies + thread_replies), "the partner echoed something else"
    bench.extra_info.update(
        model=THREADS, channel=THREAD_CHANNEL, size_bytes=size_bytes, baseline_channel=THREAD_CHANNEL, round_trips=times
    )


@pytest.mark.measurement("interpreter_round_trip")
@pytest.mark.parametrize(
    "channel, size_bytes", [(THREAD_CHANNEL, SIZES[0])] + [(INTERPRETER_CHANNEL, size) for size in SIZES]
)
def test_interpreter_round_trip(bench, paired, channel, size_bytes):
    """Round trips to a subinterpreter over interpreters.Queue, paired with as many to a thread over queue.Queue; the
    thread's against themselves (the smallest payload) are this measurement's null control."""
    if channel == INTERPRETER_CHANNEL and unavailable(SUBINTERPRETERS):
        pytest.skip(unavailable(SUBINTERPRETERS))
    payload, times = pattern(size_bytes), min(INTERPRETER_ROUND_TRIPS, round_trips_per_round(size_bytes))
    with contextlib.ExitStack() as stack:
        thread = stack.enter_context(echo_partner(THREAD_CHANNEL, size_bytes))
        partner = thread if channel == THREAD_CHANNEL else stack.enter_context(echo_partner(channel, size_bytes))
        replies, thread_replies = paired(
            functools.partial(round_trips, partner.round_trip, payload, times),
            functools.partial(round_trips, thread.round_trip, payload, times),
            null_control=partner is thread,
        )
    assert all(reply == payload for reply in replies + thread_replies), "a partner echoed something else"
    bench.extra_info.update(
        model=partner.model,
        baseline_channel=THREAD_CHANNEL,
        round_trips=times,
        reply_is_the_payload=replies[-1] is payload,
        thread_reply_is_the_payload=thread_replies[-1] is payload,
    )
