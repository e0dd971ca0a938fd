"""C15 probe: a script WITHOUT the `if __name__ == "__main__":` guard that starts one worker.

    python c15_unguarded.py MODEL      MODEL: threads | fork | spawn | forkserver

The worker prints "worker ran". With spawn and forkserver the child imports this script again to find `work`,
and the import tries to start another worker: multiprocessing refuses with a RuntimeError in the child.
"""

import multiprocessing
import sys
import threading

JOIN_TIMEOUT_S = 30


def work():
    print("worker ran", flush=True)


model = sys.argv[1]
if model == "threads":
    worker = threading.Thread(target=work)
else:
    worker = multiprocessing.get_context(model).Process(target=work)
worker.start()
worker.join(JOIN_TIMEOUT_S)
