"""Figures built with charts.unvalidated_figure (no Plotly validation, for speed) must still be valid:
re-validating them raises nothing and gives the same JSON."""

import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from workforce import charts
from workforce.views import forecast_data as forecast_view


def _revalidated_equal(fig: go.Figure) -> None:
    checked = go.Figure(fig.to_dict())  # raises on any unknown property or bad value
    assert json.loads(pio.to_json(checked)) == json.loads(pio.to_json(fig))


def _total(scale: float = 1.0) -> pd.DataFrame:
    years = np.arange(2024, 2036)
    base = np.linspace(100, 900, len(years)) * scale
    return pd.DataFrame({"year": years, **{f"{m}_p{q}": base * f * (0.5 if m == "training" else 1)
                                           for m in ("jobs", "training") for q, f in ((10, 0.8), (50, 1), (90, 1.3))}})


def test_fan_chart_valid_with_and_without_comparison():
    for compare in (None, _total(0.7)):
        fig = forecast_view.fan_chart(_total(), "jobs", "Jobs <b>x</b>", compare, ("base", "<script>x</script>"))
        _revalidated_equal(fig)
        assert "<script>" not in pio.to_json(fig)


def test_stacked_chart_valid_ordered_and_skips_empty_parts():
    total = _total()
    parts = pd.concat([total.assign(role_id="op", jobs_p50=total["jobs_p50"] * 0.7),
                       total.assign(role_id="eng", jobs_p50=total["jobs_p50"] * 0.3),
                       total.assign(role_id="none", jobs_p50=0.0)])
    fig = forecast_view.stacked_chart(parts, "role_id", "By role", {"op": "Operator <i>"})
    _revalidated_equal(fig)
    assert [t.name for t in fig.data] == ["Operator &lt;i&gt;", "eng"]
    _revalidated_equal(forecast_view.stacked_chart(parts.iloc[0:0], "role_id", "empty"))


def test_unvalidated_figure_is_a_figure():
    fig = charts.unvalidated_figure([dict(type="bar", x=[1], y=[2])], dict(height=300))
    _revalidated_equal(fig)
    assert fig.layout.height == 300
