"""ui.tcp_nodelay (issue 19): Streamlit's listening socket has protocol number 0, so asyncio leaves Nagle's algorithm on
and every response written in two parts waits ≈ 40 ms for the browser's delayed ACK on a kept-alive connection.
The app turns TCP_NODELAY on for the process's TCP sockets: those open now and, through the listening socket,
every connection accepted later."""

import socket
import sys
from pathlib import Path

import pytest

from workforce.ui import server

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")


def _nodelay(sock: socket.socket) -> bool:
    return bool(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))


@pytest.fixture
def fresh(monkeypatch):
    monkeypatch.setattr(server, "_done", False)


def test_listener_and_open_connections_get_nodelay_and_later_connections_inherit_it(fresh):
    listener = socket.socket(socket.AF_INET)  # as Streamlit makes it: protocol 0
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    early_client = socket.create_connection(listener.getsockname())
    early, _ = listener.accept()
    unix_a, unix_b = socket.socketpair()  # not TCP: left alone, no error
    try:
        assert listener.proto == 0 and not _nodelay(listener) and not _nodelay(early)
        assert server.tcp_nodelay() >= 3  # listener, early, early_client (and any other TCP socket of pytest)
        assert _nodelay(listener) and _nodelay(early)
        late_client = socket.create_connection(listener.getsockname())
        late, _ = listener.accept()
        assert _nodelay(late)  # Linux copies the listening socket's option to accepted connections
        # the descriptors we were given are untouched (tcp_nodelay worked on duplicates and closed only those)
        early.sendall(b"ok")
        assert early_client.recv(2) == b"ok"
        unix_a.sendall(b"x")
        assert unix_b.recv(1) == b"x"
        late_client.close()
        late.close()
    finally:
        for s in (listener, early_client, early, unix_a, unix_b):
            s.close()


def test_once_per_process(fresh):
    assert server.tcp_nodelay() >= 0
    listener = socket.socket(socket.AF_INET)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    try:
        assert server.tcp_nodelay() == 0 and not _nodelay(listener)  # the second call does nothing
    finally:
        listener.close()


def test_without_proc_nothing_happens(fresh, tmp_path: Path):
    assert server.tcp_nodelay(tmp_path / "missing") == 0
    assert server._done is False  # a later call with /proc still works


def test_app_turns_it_on_first():
    """app.py calls it once per process, right after the page config (before any page's elements are sent)."""
    lines = [ln.strip() for ln in (Path(server.__file__).parents[2] / "app.py").read_text().splitlines()]
    config = next(i for i, ln in enumerate(lines) if ln.startswith("st.set_page_config("))
    assert lines[config + 1].startswith("ui.tcp_nodelay()")
