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


def test_bridge_figure_shared_by_its_steps(monkeypatch):
    """/ and /forecast draw the bridge of the same steps once per process; other steps (an override, an upload's
    pipeline) get their own figure, never the cached one."""
    import importlib

    headline = importlib.import_module("workforce.ui.headline")
    from workforce.views import bridge as bv

    ui._shared_figure.clear()
    drawn = []
    monkeypatch.setattr(headline, "chart", lambda fig, **kw: drawn.append(fig))
    monkeypatch.setattr(headline, "download_menu", lambda **kw: None)
    monkeypatch.setattr(headline, "table", lambda *a, **kw: None)
    built = []
    real = bv.bridge_figure
    monkeypatch.setattr(bv, "bridge_figure", lambda *a, **kw: built.append(1) or real(*a, **kw))
    hl = importlib.import_module("workforce.views.forecast_data").headline("base", 2030)
    for _ in range(2):
        headline.bridge(hl, "Base", "en", key="t_bridge", details=False)
    assert len(built) == 1 and drawn[0] is drawn[1]
    other = {**hl, "steps": hl["steps"].assign(jobs=hl["steps"]["jobs"] * 2)}
    headline.bridge(other, "Base", "en", key="t_bridge", details=False)
    assert len(built) == 2 and drawn[2] is not drawn[0]
    assert list(drawn[2].data[0].x) != list(drawn[0].data[0].x)
