"""ui.shared_figure: one figure per view and process, never shared when the session has uploads."""

import pandas as pd

from workforce import session, ui


def _builder(calls):
    def build():
        calls.append(1)
        return object()
    return build


def test_built_once_per_key():
    ui._shared_figure.clear()
    calls = []
    a = ui.shared_figure(("test", "HU", "en"), _builder(calls))
    b = ui.shared_figure(("test", "HU", "en"), _builder(calls))
    c = ui.shared_figure(("test", "FI", "en"), _builder(calls))
    assert a is b and c is not a and len(calls) == 2


def test_uploads_never_enter_the_shared_cache(monkeypatch):
    ui._shared_figure.clear()
    monkeypatch.setattr(session, "uploads", lambda: {"plants": pd.DataFrame({"site_id": ["mine"]})})
    calls = []
    a = ui.shared_figure(("test", None, "en"), _builder(calls))
    b = ui.shared_figure(("test", None, "en"), _builder(calls))
    assert a is not b and len(calls) == 2
    monkeypatch.undo()
    calls2 = []
    ui.shared_figure(("test", None, "en"), _builder(calls2))
    assert calls2 == [1]  # nothing of the upload session was cached under that key
