"""C15 probe: a script WITHOUT the `if __name__ == "__main__":` guard that runs one task in one worker.

    python c15_unguarded.py API MODEL
        API: Thread | ThreadPoolExecutor (MODEL threads) | Process | Pool | ProcessPoolExecutor (MODEL fork |
        spawn | forkserver)

The worker prints "worker ran". With spawn and forkserver a child imports this script again to find `work`, and
the import tries to start another worker: multiprocessing refuses with a RuntimeError in the child. A
multiprocessing.Pool whose workers die that way starts new ones for ever while its caller waits; the probe stops
waiting once it has replaced its worker (seen through the pool's private worker list, the one place that shows it:
a worker of a pool of one that is replaced has died), or after POOL_WAIT_S.
"""

import concurrent.futures
import multiprocessing
import sys
import threading
import time

JOIN_TIMEOUT_S = 30
POOL_WAIT_S = 10
POLL_S = 0.01


def work():
    print("worker ran", flush=True)


api, model = sys.argv[1], sys.argv[2]
context = None if model == "threads" else multiprocessing.get_context(model)
if api in ("Thread", "Process"):
    worker = threading.Thread(target=work) if api == "Thread" else context.Process(target=work)
    worker.start()
    worker.join(JOIN_TIMEOUT_S)
elif api == "Pool":
    pool = context.Pool(1)
    try:
        result, deadline = pool.apply_async(work), time.monotonic() + POOL_WAIT_S
        workers = set()
        while not result.ready() and time.monotonic() < deadline:
            workers.update(worker.pid for worker in list(pool._pool))
            if len(workers) > 1:
                sys.exit(1)  # its worker died; what the user sees is its traceback, and a wait that never ends
            time.sleep(POLL_S)
        result.get(timeout=0)
    finally:
        pool.terminate()
        pool.join()
else:
    if api == "ThreadPoolExecutor":
        executor = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    else:
        executor = concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=context)
    with executor:
        executor.submit(work).result(timeout=JOIN_TIMEOUT_S)
