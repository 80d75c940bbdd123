"""The Streamlit server process this UI runs in: socket settings Streamlit leaves out (issue 19).

Streamlit 1.67 (uvicorn) listens on a socket made with `socket.socket(family)`, whose protocol number is 0, and
asyncio turns Nagle's algorithm off only for sockets whose protocol is `IPPROTO_TCP`. So every response written in
two parts (headers, then body; a websocket frame after another) waits for the browser's delayed ACK: ≈ 40 ms per
request on a kept-alive connection. A first visit fetches ~60–140 of Streamlit's JavaScript chunks over six such
connections, so plotly.js queued ≈ 0.3–0.5 s behind them on /training and /forecast (docs/PERFORMANCE.md,
"Seventh cut"). `tcp_nodelay` sets TCP_NODELAY on the process's TCP sockets: the listening socket (Linux copies
it to every connection accepted later) and the connections already open.
"""

from __future__ import annotations

import logging
import os
import socket
from pathlib import Path

log = logging.getLogger(__name__)

_done = False


def tcp_nodelay(fd_dir: Path = Path("/proc/self/fd")) -> int:
    """Turn Nagle's algorithm off on every TCP socket of this process (once per process; Linux `/proc` only,
    elsewhere nothing happens). Returns how many sockets were set."""
    global _done
    if _done or not hasattr(socket, "TCP_NODELAY") or not fd_dir.is_dir():
        return 0
    _done = True
    count = 0
    for entry in fd_dir.iterdir():
        try:
            if not os.readlink(entry).startswith("socket:"):
                continue
            sock = socket.socket(fileno=os.dup(int(entry.name)))  # a second descriptor of the same socket
        except (OSError, ValueError):
            continue  # closed meanwhile, or not a socket Python can wrap
        try:
            if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                count += 1
        except OSError:
            pass
        finally:
            sock.close()  # closes the duplicate only
    log.debug("TCP_NODELAY set on %d sockets", count)
    return count
