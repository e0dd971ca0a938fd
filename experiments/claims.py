"""The claims registry: each claim's ID, the post's words, what is measured, and the experiment that measures it.

IDs are those of CLAIMS.md, stable across runs, machines and interpreters. `experiment` is the module under
experiments/ that measures the claim, None while it has none. The rule that decides a claim registers itself by
ID in scripts/analysis/rules/ (`@rule("C17", ...)`).
"""

import collections

Claim = collections.namedtuple("Claim", "id words measured experiment")

CLAIMS = collections.OrderedDict(
    (claim.id, claim)
    for claim in [
        Claim(
            "C01",
            "CPUs can only execute one command at a time, therefore one process at a time",
            "weak-scaled speedup of N CPU-bound processes pinned to the SMT siblings of one core, and unpinned at "
            "N = the usable CPUs",
            "experiments/test_c01_one_process_per_cpu.py",
        ),
        Claim(
            "C02",
            "Processes have their own allocation of memory ... Threads use the same memory space",
            "whether the parent sees a worker's writes to a global, a list and an instance; "
            "cost of handing S bytes to a worker and back",
            "experiments/test_c02_memory.py",
        ),
        Claim(
            "C03",
            "A thread is a path of execution within a process. A process can contain multiple threads.",
            "pid and native thread id seen from threads and processes; thread count of the process",
            "experiments/test_c03_threads_in_a_process.py",
        ),
        Claim(
            "C04",
            "a dual core CPU can run 4 threads",
            "CPU-bound processes run at once per physical core; one process's threads running GIL-releasing C code "
            "(cores busy, progress per window); 200 waking threads",
            "experiments/test_c04_cpus_and_threads.py",
        ),
        Claim(
            "C05",
            "The multithreading library is lightweight",
            "start-to-joined latency of an empty worker from a small parent, paired with a thread's; the same from "
            "pytest; a pool's first result",
            "experiments/test_c05_start_cost.py",
        ),
        Claim(
            "C06",
            "[threading is] responsible for responsive UI",
            "frames kept by a 60 Hz loop that does work, and I/O answer times, beside a pure-Python loop and beside "
            "one long C call, in a thread vs a process",
            "experiments/test_c06_responsiveness.py",
        ),
        Claim(
            "C07",
            "[threading] is used well for I/O bound applications",
            "weak-scaled speedup of N workers on I/O waits (sleep; loopback request/response): threads vs processes",
            "experiments/test_c07_io_bound.py",
        ),
        Claim(
            "C08",
            'threading "isn\'t killable"; "child processes are killable"',
            "stopping a spinning thread from outside; time from terminate()/kill() to a child being gone",
            "experiments/test_c08_killable.py",
        ),
        Claim(
            "C09",
            "[threads are] subject to the GIL ... The GIL prevents parallel threads of execution on multiple cores",
            "weak-scaled speedup and cores busy of pure-Python CPU work in N threads, N = the usable CPUs",
            "experiments/test_c09_c14_cpu_bound.py",
        ),
        Claim(
            "C10",
            "[each thread has] its own code, own stack memory, instruction pointer, and share heap memory",
            "thread-local state; recursion depth per thread stack size; one object reached from every thread",
            "experiments/test_c10_stack_and_heap.py",
        ),
        Claim(
            "C11",
            "If a thread has a memory leak it can damage the other threads and parent process",
            "memory leaked in a thread vs a child process; a crash in a thread vs a child process",
            "experiments/test_c11_leaks_and_crashes.py",
        ),
        Claim(
            "C12",
            "# Will execute both in parallel ... executing only one statement at a time",
            "overlap of two CPU-bound threads' running time (the example's 'in parallel'); their turns (the GIL's "
            "'one at a time')",
            "experiments/test_c12_interleaving.py",
        ),
        Claim(
            "C13",
            "# This program reduces the time of execution by running tasks in parallel",
            "the post's example as written and with more work: threads and processes paired with the serial calls; the "
            "crossover",
            "experiments/test_c13_post_threading_example.py",
        ),
        Claim(
            "C14",
            "multiprocessing uses separate memory space, multiple CPU cores, bypasses GIL limitations in CPython",
            "weak-scaled speedup and cores busy of pure-Python CPU work in N processes per start method, N = the "
            "usable CPUs",
            "experiments/test_c09_c14_cpu_bound.py",
        ),
        Claim(
            "C15",
            "[multiprocessing] is much easier to use",
            "everyday tasks done (the right result in the parent) per API: Thread, Process/Pool, "
            "Thread/ProcessPoolExecutor, per start method",
            "experiments/test_c15_ease_of_use.py",
        ),
        Claim(
            "C16",
            "a larger memory footprint",
            "USS/PSS per extra worker, threads vs processes",
            "experiments/test_c16_memory_footprint.py",
        ),
        Claim(
            "C17",
            "IPC's a little more complicated with more overhead",
            "round trips of payloads to a process per channel, paired with a thread's queue.Queue round trip",
            "experiments/test_c17_ipc_overhead.py",
        ),
        Claim(
            "C18",
            "# Wont print because processes run using their own memory location",
            "what the post's multiprocessing example prints, as written and with `result` a global; hand-backs by "
            "Queue, Pipe, Value",
            "experiments/test_c18_post_multiprocessing_example.py",
        ),
        Claim(
            "C19",
            "This, makes sharing information harder with processes and object instances",
            "one update of shared state by Value and Manager proxies, paired with a threading.Lock update; sharing an "
            "instance",
            "experiments/test_c19_sharing_state.py",
        ),
        Claim(
            "C20",
            "[the GIL] prevent[s] conflicts between threads, by executing only one statement at a time",
            "updates lost per form of statement (single statements, one with a call inside, three statements) across "
            "threads, at the default and a tiny switch interval; under a Lock none",
            "experiments/test_c20_lost_updates.py",
        ),
        Claim(
            "C21",
            "The Global Interpretor Lock (GIL) in CPython prevents parallel threads of execution on multiple cores",
            "weak-scaled speedup and cores busy of N threads running C code that releases the GIL (hashlib, zlib, file "
            "reads) beside pure Python, N = the usable CPUs",
            "experiments/test_c21_gil_releasing_code.py",
        ),
        Claim(
            "C22",
            "the threading implementation on python is useful mostly for concurrent thread implementation "
            "in web-servers",
            "throughput of ThreadingHTTPServer paired with HTTPServer under the same bursts, I/O-bound and CPU-bound "
            "handlers",
            "experiments/test_c22_web_servers.py",
        ),
        Claim(
            "X01",
            "Does the answer change without a GIL?",
            "the verdicts of C06, C09, C12, C13, C20, C21 and C22 on a free-threaded build, beside the GIL build of "
            "the same minor version and the same binary with PYTHON_GIL=1",
            None,
        ),
        Claim(
            "X02",
            "Are subinterpreters a third way?",
            "subinterpreters (PEP 734) beside threads and processes: whether the parent sees their writes, weak-scaled "
            "speedup at N = the usable CPUs, start-to-joined and idle private memory beside spawn's, round trips over "
            "interpreters.Queue",
            "experiments/test_x02_subinterpreters.py",
        ),
        Claim(
            "X03",
            "Threads or asyncio for I/O?",
            "N = 10 ... 10,000 concurrent waits (sleep; kept-open loopback connections) in threads and in asyncio "
            "tasks, each in a throwaway interpreter: whether each carried them (bring-up, memory, one round, within "
            "limits) and why not, USS/PSS per wait, asyncio's rounds paired with threads'",
            "experiments/test_x03_threads_or_asyncio.py",
        ),
        Claim(
            "X04",
            "Which start method, and what is the default?",
            "start-to-joined of an empty process per start method from a small parent, in thread starts, beside the "
            "platform's default start method",
            "experiments/test_c05_start_cost.py",
        ),
        Claim(
            "X05",
            "What does the switch interval trade?",
            "sys.setswitchinterval from 1 us to 50 ms, each paired with the default 5 ms: throughput of N CPU-bound "
            "threads (N = 2, the usable CPUs) and a 60 Hz UI loop's p99 lateness beside a CPU-bound thread",
            "experiments/test_x05_switch_interval.py",
        ),
    ]
)
