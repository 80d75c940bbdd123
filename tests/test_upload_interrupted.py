"""A file chosen while the page is still loading is never dropped (issue 19's browser upload run lost one in 2 of 3).

Streamlit stops a run at any read or write of `st.session_state` when a newer run is asked for (a chart sending
its value while the page loads). The upload box used to mark the file as taken *first*: a stop after that mark
and before the rows were added left a file that no later run took again, with no message. Here every read and
write of the session state is, in turn, the one where the run stops; the next run must finish the job, with the
rows added once and the summary shown."""

from __future__ import annotations

import pytest
import streamlit as st

from workforce.session import UPLOADS_KEY
from workforce.ui import uploads as box

HEADER = "nuts_id,indicator,dataset,year,unit,value,source_url,source_title,status\n"
ROWS = ("HU32,employment_industry,interrupted,2015,thousand persons,999.5,https://example.org/r,t,observed\n"
        "HU31,employment_industry,interrupted,2015,thousand persons,abc,https://example.org/r,t,observed\n")


class Stopped(Exception):
    """Stands in for Streamlit's StopException / RerunException raised at a session-state access."""


class StoppingState(dict):
    """A session state whose `stop_at`-th access (read or write; 0 = never) stops the run before it happens,
    as Streamlit's SafeSessionState yields before each access."""

    def __init__(self, *args, stop_at: int = 0):
        super().__init__(*args)
        self.stop_at, self.accesses = stop_at, 0

    def _access(self):
        self.accesses += 1
        if self.accesses == self.stop_at:
            raise Stopped

    def get(self, key, default=None):
        self._access()
        return super().get(key, default)

    def __getitem__(self, key):
        self._access()
        return super().__getitem__(key)

    def __setitem__(self, key, value):
        self._access()
        super().__setitem__(key, value)

    def __contains__(self, key):
        self._access()
        return super().__contains__(key)

    def pop(self, key, *default):
        self._access()
        return super().pop(key, *default)


class ChosenFile:
    file_id = "f-1"
    name = "regionen.csv"

    def getvalue(self) -> bytes:
        return (HEADER + ROWS).encode()


def _run(state: StoppingState) -> None:
    """The part of the box's run that takes a chosen file."""
    box._take_file(ChosenFile(), "regions", "de", "rg_up")


def _accesses_of_one_run(monkeypatch) -> int:
    state = StoppingState()
    monkeypatch.setattr(st, "session_state", state)
    _run(state)
    return state.accesses


def test_a_run_stopped_at_any_state_access_leaves_the_file_to_the_next_run(monkeypatch):
    total = _accesses_of_one_run(monkeypatch)
    assert total >= 4  # the guard, the rows (read, write), the result (read, write), the mark
    for stop_at in range(1, total + 1):
        state = StoppingState(stop_at=stop_at)
        monkeypatch.setattr(st, "session_state", state)
        with pytest.raises(Stopped):
            _run(state)
        state.stop_at = 0
        _run(state)  # the next run
        rows = state[UPLOADS_KEY]["regions"]
        assert list(rows["nuts_id"]) == ["HU32"], stop_at  # added, and once
        result = state[box.UPLOAD_RESULTS]["rg_up"]
        assert result["summary"] == {"rows": 2, "valid": 1, "rejected": 1, "messages": result["summary"]["messages"]}
        assert "abc" in result["rejected"].to_csv()
        assert state["rg_up_done"] == ("f-1", "regions")
        runs_after = state.accesses
        _run(state)  # a later run does not take the file again
        assert state.accesses == runs_after + 1


def test_an_unreadable_file_is_reported_after_a_stopped_run(monkeypatch):
    class Broken(ChosenFile):
        def getvalue(self) -> bytes:
            return b"PK\x03\x04 not a zip"

    state = StoppingState(stop_at=3)
    monkeypatch.setattr(st, "session_state", state)
    with pytest.raises(Stopped):
        box._take_file(Broken(), "regions", "en", "rg_up")
    state.stop_at = 0
    box._take_file(Broken(), "regions", "en", "rg_up")
    assert state[box.UPLOAD_RESULTS]["rg_up"]["error"]
    assert UPLOADS_KEY not in state
