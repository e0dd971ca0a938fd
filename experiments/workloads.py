"""Workloads: plain top-level functions, sized by their arguments, returning something checkable.

No timing and no pytest here: spawn and forkserver children import these by name.
"""
import socket
import time

MODULUS = 1000003


def cpu_spin(n):
    """Pure-Python CPU work that holds the GIL throughout: the sum of i*i below n, modulo a prime."""
    total = 0
    for i in range(n):
        total = (total + i * i) % MODULUS
    return total


def cpu_spin_expected(n):
    """What `cpu_spin(n)` must return, from the closed form of the sum of squares."""
    return (n - 1) * n * (2 * n - 1) // 6 % MODULUS


def split(total, parts):
    """`total` units of work cut into `parts` sizes that differ by at most one."""
    size, rest = divmod(total, parts)
    return [size + (1 if i < rest else 0) for i in range(parts)]


def sleep_for(seconds):
    """An I/O wait that is nothing but a wait."""
    time.sleep(seconds)
    return seconds


def loopback_request(port, delay_ms):
    """One request/response to the delay server of `experiments.servers`; returns the echoed line."""
    request = "{}\n".format(delay_ms).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.sendall(request)
        reply = conn.makefile("rb").readline()
    return reply.decode().strip()


def payload_size(payload):
    """The reply to a payload handed over: its length, O(1) so only the hand-over itself costs."""
    return len(payload)


MARKS = []  # a module global that workers write to (C02)


class Box:
    """An object instance that workers write to (C02)."""

    def __init__(self):
        self.value = None


def write_everywhere(token, items, box):
    """Write `token` into a module global, a list and an object instance."""
    MARKS.append(token)
    items.append(token)
    box.value = token
    return token
