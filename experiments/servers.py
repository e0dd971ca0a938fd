"""A loopback server that answers each request after a delay the client asks for: an I/O wait with a peer.

It runs in its own interpreter, so it never competes for the measured process's GIL. Protocol: the client
sends one line with a delay in milliseconds; after that delay the server sends the same line back.
"""

import asyncio
import contextlib
import subprocess
import sys

STOP_TIMEOUT_S = 10


async def _answer(reader, writer):
    line = await reader.readline()
    await asyncio.sleep(int(line) / 1000)
    writer.write(line)
    await writer.drain()
    writer.close()


async def _serve():
    server = await asyncio.start_server(_answer, "127.0.0.1", 0, backlog=1024)
    print(server.sockets[0].getsockname()[1], flush=True)
    # Serve until the parent closes our stdin (or dies): no orphan outlives its test.
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    server.close()
    await server.wait_closed()


@contextlib.contextmanager
def delay_server():
    """Start the server in a child interpreter, yield its port, and stop it however the block ends."""
    child = subprocess.Popen(
        [sys.executable, __file__], stdin=subprocess.PIPE, stdout=subprocess.PIPE, universal_newlines=True
    )
    try:
        yield int(child.stdout.readline())
    finally:
        child.stdin.close()
        try:
            child.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        child.stdout.close()


if __name__ == "__main__":
    asyncio.run(_serve())
