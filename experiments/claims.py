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
            "speedup of N CPU-bound processes over serial, unpinned vs pinned to one CPU",
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
            "logical vs physical CPUs; OS threads alive at once",
            "experiments/test_c04_cpus_and_threads.py",
        ),
        Claim(
            "C05",
            "The multithreading library is lightweight",
            "start-to-joined latency of an empty worker",
            "experiments/test_c05_start_cost.py",
        ),
        Claim(
            "C06",
            "[threading is] responsible for responsive UI",
            "lateness of a periodic tick while CPU-bound work runs in a thread vs a process",
            "experiments/test_c06_responsiveness.py",
        ),
        Claim(
            "C07",
            "[threading] is used well for I/O bound applications",
            "speedup over serial of N workers on I/O waits (sleep; loopback request/response): threads vs processes",
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
            "speedup over serial and CPU/wall of pure-Python CPU work in N threads",
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
            "overlap of two CPU-bound threads' CPU time; run length before a switch",
            "experiments/test_c12_interleaving.py",
        ),
        Claim(
            "C13",
            "# This program reduces the time of execution by running tasks in parallel",
            "the post's examples as written: serial vs threads vs processes; the crossover work size",
            "experiments/test_c13_post_threading_example.py",
        ),
        Claim(
            "C14",
            "multiprocessing uses separate memory space, multiple CPU cores, bypasses GIL limitations in CPython",
            "speedup over serial and CPU/wall of pure-Python CPU work in N processes, per start method",
            "experiments/test_c09_c14_cpu_bound.py",
        ),
        Claim(
            "C15",
            "[multiprocessing] is much easier to use",
            "which everyday objects a worker can be given, threads vs processes per start method",
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
            "round-trip time and bandwidth of payloads between threads vs between processes",
            "experiments/test_c17_ipc_overhead.py",
        ),
        Claim(
            "C18",
            "# Wont print because processes run using their own memory location",
            "what the post's multiprocessing example prints, and whether the child's value reaches the parent",
            "experiments/test_c18_post_multiprocessing_example.py",
        ),
        Claim(
            "C19",
            "This, makes sharing information harder with processes and object instances",
            "updates per second of shared state: Lock vs multiprocessing.Value vs Manager proxy",
            "experiments/test_c19_sharing_state.py",
        ),
        Claim(
            "C20",
            "[the GIL] prevent[s] conflicts between threads, by executing only one statement at a time",
            "lost updates of an unlocked read-modify-write across threads; which operations stay atomic",
            "experiments/test_c20_lost_updates.py",
        ),
        Claim(
            "C21",
            "The Global Interpretor Lock (GIL) in CPython prevents parallel threads of execution on multiple cores",
            "speedup of N threads running C code that releases the GIL (hashlib, zlib, sleep, file reads)",
            "experiments/test_c21_gil_releasing_code.py",
        ),
        Claim(
            "C22",
            "the threading implementation on python is useful mostly for concurrent thread implementation "
            "in web-servers",
            "throughput of ThreadingHTTPServer vs HTTPServer under K clients, I/O-bound and CPU-bound handlers",
            "experiments/test_c22_web_servers.py",
        ),
        Claim("X01", "Does the answer change without a GIL?", "C09, C12, C20, C21 on a free-threaded build", None),
        Claim(
            "X02",
            "Are subinterpreters a third way?",
            "scaling, start cost and isolation of subinterpreters",
            None,
        ),
        Claim("X03", "Threads or asyncio for I/O?", "throughput and memory at 10 to 10,000 concurrent waits", None),
        Claim("X04", "Which start method, and what is the default?", "cost of fork, spawn, forkserver", None),
        Claim("X05", "What does the switch interval trade?", "switch interval vs throughput and tick lateness", None),
    ]
)
