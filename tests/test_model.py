"""workforce.model: property tests (hypothesis) and unit tests on small hand-built frames (test values only)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workforce import model

ASSUMPTIONS = {
    "jobs_per_unit": {
        "cell": {"value": 80, "low": 60, "high": 120, "status": "assumption", "source_title": "test"},
        "pack": {"value": 95},
        "materials": {"value": 6, "low": 5, "high": 7},
        "recycling": {"value": None},
    },
    "ramp_up": {
        "years_to_full_output": {"value": 3, "low": 2, "high": 5},
        "headcount_share_by_year": {"value": [0.4, 0.75, 1.0]},
        "pipeline_delay_years": {"value": 0},
    },
    "status_probability": {
        "operating": {"value": 1.0},
        "under_construction": {"value": 0.8, "low": 0.65, "high": 0.9},
        "announced": {"value": 0.35, "low": 0.2, "high": 0.5},
        "paused": {"value": 0.15, "low": 0.05, "high": 0.3},
        "cancelled": {"value": 0.0},
    },
    "training": {
        "new_hire_training_share": {"value": 0.9, "low": 0.7, "high": 1.0},
        "incumbent_reskilling_share": {"value": 0.2, "low": 0.1, "high": 0.3},
        "replacement_rate_per_year": {"value": 0.05, "low": 0.03, "high": 0.08},
    },
    "multipliers": {
        "automation_jobs_scale": {"value": 1.0},
        "indirect_induced": {"value": None, "status": "assumption"},
    },
    "anchors": {"eba_jobs_2025": {"value": 4_000_000, "source_title": "EBA"},
                "icct_components_recycling_jobs_per_gwh": {"value": 49, "status": "observed", "source_title": "ICCT",
                                                           "source_url": "https://example.org/icct"}},
    "scenarios": {
        "base": {"overrides": {}},
        "delays": {"overrides": {"ramp_up.pipeline_delay_years.value": 2,
                                 "status_probability.announced.value": 0.2}},
        "high_automation": {"overrides": {"multipliers.automation_jobs_scale.value": 0.75}},
    },
}
STATUSES = list(model.STATUSES)
SEGMENTS = ["cell", "pack", "cathode", "anode", "recycling"]
UNIT = {"cell": "GWh/yr", "pack": "GWh/yr", "cathode": "kt/yr", "anode": "kt/yr", "recycling": "kt/yr"}
REGIONS = ["HU31", "HU32", "DE11", "DE40", "FI19"]


def params(scenario="base", draws=300, seed=1, **kw):
    return model.Params.from_assumptions(ASSUMPTIONS, scenario).with_overrides(draws=draws, seed=seed, **kw)


def plant(i, region="HU32", segment="cell", status="operating", cap=10.0, jobs=None, start=2026):
    return {"site_id": f"s{i}", "company": "T", "site_name": f"Site {i}", "country": region[:2], "nuts2": region,
            "segment": segment, "capacity_value": cap, "capacity_unit": UNIT[segment], "jobs_announced": jobs,
            "status": status, "status_date": "2024-01-01", "start_year": start}


plant_st = st.builds(
    lambda r, seg, s, cap, jobs, start: (r, seg, s, cap, jobs, start),
    st.sampled_from(REGIONS), st.sampled_from(SEGMENTS), st.sampled_from(STATUSES),
    st.floats(0.5, 200), st.one_of(st.none(), st.integers(10, 5000)), st.integers(2018, 2034),
)


def frame(specs) -> pd.DataFrame:
    return pd.DataFrame([plant(i, *s) for i, s in enumerate(specs)])


FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.lists(plant_st, min_size=1, max_size=8), st.integers(0, 2**31 - 1))
def test_percentiles_are_ordered(specs, seed):
    out = model.forecast(frame(specs), None, params(seed=seed))
    assert (out["jobs_p10"] <= out["jobs_p50"] + 1e-6).all() and (out["jobs_p50"] <= out["jobs_p90"] + 1e-6).all()
    assert (out["training_p10"] <= out["training_p50"] + 1e-6).all()
    assert (out["training_p50"] <= out["training_p90"] + 1e-6).all()
    assert (out["jobs_p10"] >= 0).all()


@FAST
@given(st.lists(plant_st, min_size=0, max_size=6), plant_st)
def test_cancelled_plant_contributes_nothing(specs, extra):
    p = params()
    cancelled = (*extra[:2], "cancelled", *extra[3:])
    before = model.forecast(frame(specs), None, p) if specs else None
    after = model.forecast(frame([*specs, cancelled]), None, p)
    if before is None:
        assert after.empty
    else:
        pd.testing.assert_frame_equal(before, after)


@FAST
@given(st.lists(plant_st, min_size=0, max_size=5), st.sampled_from(REGIONS), st.sampled_from(SEGMENTS),
       st.sampled_from(STATUSES[:-1]), st.floats(1, 100), st.floats(0, 100), st.integers(2020, 2034))
def test_more_capacity_never_lowers_jobs(specs, region, segment, status, cap, more, start):
    p = params()
    small = model.scope_frame(model.simulate(frame([*specs, (region, segment, status, cap, None, start)]), p))
    big = model.scope_frame(model.simulate(frame([*specs, (region, segment, status, cap + more, None, start)]), p))
    for col in ("jobs_p10", "jobs_p50", "jobs_p90"):
        assert (big[col].to_numpy() >= small[col].to_numpy() - 1e-3 * (1 + small[col].abs().to_numpy())).all()


@FAST
@given(st.lists(plant_st, min_size=1, max_size=8))
def test_regions_add_up_to_countries_and_europe(specs):
    sim = model.simulate(frame(specs), params(draws=200))
    if sim.index.empty:
        return
    nuts2 = sim.jobs_draws()
    for level in (1, 0, "europe"):
        agg = model.aggregate(sim, level)
        for (code, year), draws in zip(agg.index.itertuples(index=False), agg.jobs_draws(), strict=False):
            mask = ((sim.index["year"] == year) & sim.index["nuts_id"].str.startswith("" if code == "EU" else code))
            np.testing.assert_allclose(draws, nuts2[mask.to_numpy()].sum(axis=0), rtol=1e-6, atol=1e-6)
    # deterministic run (no ranges): P50 adds up exactly
    fixed = model.Params.from_assumptions({**ASSUMPTIONS, "scenarios": {}}).with_overrides(draws=50)
    fixed = model.Params(**{**fixed.__dict__, "jobs_per_unit": tuple((g, model.Range(None, r.central, None))
                                                                      for g, r in fixed.jobs_per_unit),
                            "status_probability": tuple((s, model.Range(None, r.central, None))
                                                        for s, r in fixed.status_probability),
                            "ramp_years": model.Range(None, 3, None)})
    f2 = model.forecast(frame(specs), None, fixed, level=2)
    f0 = model.forecast(frame(specs), None, fixed, level=0)
    s2 = f2.assign(c=f2["nuts_id"].str[:2]).groupby(["c", "year"])["jobs_p50"].sum()
    s0 = f0.set_index(["nuts_id", "year"])["jobs_p50"]
    np.testing.assert_allclose(s2.sort_index().to_numpy(), s0.sort_index().to_numpy(), rtol=1e-4, atol=0.2)


@FAST
@given(st.lists(plant_st, min_size=1, max_size=6), st.integers(0, 10_000))
def test_same_seed_same_result(specs, seed):
    a = model.forecast(frame(specs), None, params(seed=seed))
    b = model.forecast(frame(specs), None, params(seed=seed))
    pd.testing.assert_frame_equal(a, b)


def test_different_seed_changes_draws():
    df = frame([("HU32", "cell", "announced", 50.0, None, 2026)])
    a = model.simulate(df, params(seed=1)).jobs_draws()
    b = model.simulate(df, params(seed=2)).jobs_draws()
    assert not np.allclose(a, b)


# ---------------------------------------------------------------- unit tests

def test_forecast_columns_years_and_roles_add_up():
    roles = pd.DataFrame({"role_id": ["op", "eng"], "mix_cell": [0.8, 0.2], "mix_materials": [0.5, 0.5],
                          "mix_pack": [1.0, 0.0], "mix_recycling": [0.5, 0.5]})
    df = frame([("HU32", "cell", "operating", 10.0, 1000, 2020), ("HU32", "cathode", "under_construction", 30.0,
                                                                   None, 2027)])
    p = params()
    out = model.forecast(df, roles, p)
    assert list(out.columns) == model.OUT_COLUMNS
    assert sorted(out["year"].unique()) == list(range(2024, 2036))
    total = model.forecast(df, None, p)
    by_role = out.groupby(["nuts_id", "year"])[["jobs_p10", "jobs_p50", "jobs_p90"]].sum().reset_index()
    np.testing.assert_allclose(by_role["jobs_p50"], total["jobs_p50"], atol=0.2)
    # the operating plant with announced jobs is at full output: 1000 jobs in every year
    assert total.loc[total["year"] == 2024, "jobs_p50"].iloc[0] == pytest.approx(1000, abs=0.1)


def test_announced_jobs_used_and_unmodellable_plants_visible():
    df = frame([("HU32", "cell", "operating", 10.0, 1000, 2020), ("HU32", "recycling", "announced", 20.0, None, 2027),
                ("HU32", "cell", "announced", None, None, 2027), ("HU32", "cell", "announced", 5.0, None, None)])
    prep = model.prepare(df, params())
    assert list(prep["basis"]) == ["announced", "no_jobs_per_unit", "no_capacity_or_jobs", "unscheduled"]
    assert list(prep["included"]) == [True, False, False, False]
    assert any("recycling" in m for m in params().missing())


def test_ramp_and_status_probability():
    df = frame([("HU32", "cell", "under_construction", 10.0, 1000, 2026)])
    fixed = model.Params.from_assumptions(ASSUMPTIONS).with_overrides(draws=10, p_under_construction=0.8)
    fixed = model.Params(**{**fixed.__dict__, "ramp_years": model.Range(None, 3, None),
                            "status_probability": (("under_construction", model.Range(None, 0.8, None)),)})
    out = model.forecast(df, None, fixed).set_index("year")["jobs_p50"]
    assert out[2025] == 0
    assert out[2026] == pytest.approx(0.8 * 1000 * 0.4, abs=0.1)
    assert out[2027] == pytest.approx(0.8 * 1000 * 0.75, abs=0.1)
    assert out[2030] == pytest.approx(800, abs=0.1)


def test_scenarios_and_overrides():
    base, delays = params("base"), params("delays")
    assert delays.delay_years == 2 and delays.probability("announced").central == 0.2
    assert params("high_automation").automation == 0.75
    with pytest.raises(ValueError, match="unknown scenario"):
        params("nope")
    with pytest.raises(ValueError, match="unknown parameter"):
        base.with_overrides(bogus=1)
    with pytest.raises(ValueError):
        base.with_overrides(p_announced=1.5)
    wi = base.with_overrides(jpg=160, ramp=2, auto=0.5)
    assert wi.jpu("cell") == model.Range(120, 160, 240) and wi.automation == 0.5
    assert dict(wi.overrides) == {"jpg": 160, "ramp": 2, "auto": 0.5}
    df = frame([("HU32", "cell", "announced", 10.0, 500, 2026)])
    d0 = model.scope_frame(model.simulate(df, base)).set_index("year")
    d2 = model.scope_frame(model.simulate(df, delays)).set_index("year")
    assert d2.loc[2027, "jobs_p50"] == 0 < d0.loc[2027, "jobs_p50"]


def test_citations_list_every_parameter():
    cites = model.citations(ASSUMPTIONS, "delays")
    row = cites[cites["parameter"] == "status_probability.announced"].iloc[0]
    assert row["value"] == "0.2" and row["status"] == "assumption"


def test_allocate_headline():
    weights = pd.DataFrame({"nuts_id": ["A1", "A2", "A3"], "capacity": [30.0, 10.0, None]})
    out = model.allocate_headline(4_000_000, weights, "capacity").set_index("nuts_id")
    assert out.loc["A1", "allocated"] == pytest.approx(3_000_000)
    assert out["allocated"].sum() == pytest.approx(4_000_000)
    assert pd.isna(out.loc["A3", "allocated"]) and (out["label"] == "allocation").all()
    assert model.allocate_headline(1, weights, "missing_key").empty


def test_bridge_steps_add_up_without_double_counting():
    direct = {"cell": 1000.0, "pack": 200.0, "materials": 300.0, "recycling": 0.0}
    out = model.bridge(direct, {"cell": 10.0}, ASSUMPTIONS, 3_000_000, 4_000_000).set_index("step")
    # upstream: one published intensity × expected cell GWh, minus materials/recycling jobs already counted
    assert out.loc["upstream_components", "jobs"] == pytest.approx(49 * 10 - 300)
    assert out.loc["pipeline_supported", "jobs"] == pytest.approx(1500 + 190)
    assert out.loc["gap_indirect_induced", "status"] == "not sourced"
    assert out.loc["gap_indirect_induced", "jobs"] == pytest.approx(3_000_000 - 1690)
    rel = out[out["kind"] == "relative"]["jobs"]
    assert rel.loc[:"gap_indirect_induced"].sum() == pytest.approx(out.loc["claim_low", "jobs"])
    assert out.loc["claim_high", "jobs"] == 4_000_000
    # every step has a source or is labelled (modelled / assumption / not sourced / claim)
    assert out["status"].isin(["modelled", "assumption", "not sourced", "claim"]).all()
    assert out.loc["upstream_components", "source_url"] == "https://example.org/icct"


def test_bridge_upstream_never_negative_and_not_scaled_by_direct_jobs():
    many = model.bridge({"cell": 1000.0, "materials": 5000.0}, {"cell": 10.0}, ASSUMPTIONS).set_index("step")
    assert many.loc["upstream_components", "jobs"] == 0  # tracked materials plants already exceed 49/GWh
    a = model.bridge({"cell": 1000.0}, {"cell": 10.0}, ASSUMPTIONS).set_index("step")
    b = model.bridge({"cell": 9000.0}, {"cell": 10.0}, ASSUMPTIONS).set_index("step")
    assert a.loc["upstream_components", "jobs"] == b.loc["upstream_components", "jobs"]  # no multiplier on direct
    assert "claim_low" not in a.index  # no claim given: no gap row invented
    ratio = model.bridge_intensity(a.reset_index(), {"cell": 10.0})
    assert ratio["cell_chain_per_gwh"] == pytest.approx((1000 + 490) / 10)


@FAST
@given(st.lists(plant_st, min_size=1, max_size=12))
def test_bridge_adds_one_intensity_on_capacity_and_never_double_counts(specs):
    df = frame(specs)
    p = params(draws=50)
    direct = model.central_by_group(model.simulate(df, p), 2030)
    cap = model.expected_capacity(df, p, 2030)
    steps = model.bridge(direct, cap, ASSUMPTIONS, 3e6, 4e6)
    out = steps.set_index("step")["jobs"]
    tracked = direct["materials"] + direct["recycling"]
    assert out["upstream_components"] == pytest.approx(max(49 * cap["cell"] - tracked, 0.0), abs=1e-6)
    assert out["pipeline_supported"] == pytest.approx(sum(direct.values()) + out["upstream_components"])
    if cap["cell"] > 0:  # cell chain per GWh = cell plants + the larger of tracked materials and ICCT's 49/GWh
        chain = model.bridge_intensity(steps, cap)["cell_chain_per_gwh"]
        assert chain == pytest.approx((direct["cell"] + max(tracked, 49 * cap["cell"])) / cap["cell"])


def test_cap_allocation_flags_and_caps():
    alloc = pd.DataFrame({"nuts_id": ["A1", "A2", "A3"], "allocated": [813_027.0, 1000.0, 50.0]})
    emp = pd.Series({"A1": 496.88, "A2": 400.0})
    out = model.cap_allocation(alloc, emp, 0.05).set_index("nuts_id")
    assert out.loc["A1", "flag"] == "over_cap" and out.loc["A1", "allocated_capped"] == pytest.approx(24_844)
    assert out.loc["A2", "flag"] == "" and out.loc["A2", "allocated_capped"] == 1000
    assert out.loc["A3", "flag"] == "no_employment"
    capped = out.dropna(subset=["cap"])
    assert (capped["allocated_capped"] <= capped["cap"] + 1e-9).all()


def test_te_secure_share_measures():
    df = frame([("HU32", "cell", "operating", 40.0, 1000, 2020), ("HU32", "cell", "under_construction", 7.0, None, 2026),
                ("DE11", "cell", "announced", 53.0, None, 2028), ("DE11", "cell", "cancelled", 100.0, None, 2027),
                ("DE11", "cell", "announced", 500.0, None, 2033)])  # after the T&E horizon: left out
    out = model.te_secure_share(df, params()).set_index("measure")
    assert out.loc["status", "share"] == pytest.approx(0.47)
    assert out.loc["status_incl_cancelled", "share"] == pytest.approx(47 / 200)
    p_uc, p_an = (model.Range(0.65, 0.8, 0.9).mean, model.Range(0.2, 0.35, 0.5).mean)
    assert out.loc["expected_all", "share"] == pytest.approx((40 + 7 * p_uc + 53 * p_an) / 100)
    assert out.loc["expected_not_operating", "share"] == pytest.approx((7 * p_uc + 53 * p_an) / 60)


def test_risk_shares():
    df = frame([("HU32", "cell", "operating", 40.0, 1000, 2020), ("HU32", "cell", "under_construction", 7.0, None, 2026),
                ("DE11", "cell", "announced", 53.0, None, 2028), ("DE11", "cell", "cancelled", 100.0, None, 2027)])
    out = model.risk(df, params()).set_index("measure")
    cell = out.loc["cell capacity (GWh/yr)"]
    assert cell["secure"] == 47 and cell["at_risk"] == 53 and cell["cancelled"] == 100
    assert cell["secure_share"] == pytest.approx(0.47)


def test_headline_value_from_table_or_anchor():
    heads = pd.DataFrame({"metric": ["eba_battery_supply_chain_jobs_2025", "eba_workers_needing_training_2025"],
                          "value": [4e6, 8e5], "source_title": ["x", "x"], "source_url": [None, None],
                          "as_of": ["2022", "2022"]})
    assert model.headline_value(heads, "jobs")["value"] == 4e6
    assert model.headline_value(heads, "training")["value"] == 8e5
    assert model.headline_value(None, "jobs", ASSUMPTIONS)["value"] == 4e6
    assert model.headline_value(None, "training", {}) is None


def test_empty_inputs():
    out = model.forecast(pd.DataFrame(), None, params())
    assert out.empty and list(out.columns) == model.OUT_COLUMNS
    assert model.scope_frame(model.simulate(pd.DataFrame(), params()))["jobs_p50"].eq(0).all()
    assert model.Params.from_assumptions({}).missing()  # nothing known: every gap is reported


def test_percentiles_match_the_draws():
    df = frame([("HU32", "cell", "announced", 50.0, None, 2025), ("HU32", "cathode", "under_construction", 20.0,
                                                                   300, 2027), ("DE11", "pack", "paused", 5.0, None, 2024)])
    sim = model.aggregate(model.simulate(df, params(draws=2000)), 0)
    pct = model.percentiles(sim)
    for name, draws in (("jobs", sim.jobs_draws()), ("training", sim.training_draws())):
        expected = np.percentile(draws, model.QUANTILES, axis=1).T
        got = pct[[f"{name}_p{q}" for q in model.QUANTILES]].to_numpy()
        np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-2)
    assert (pct["training_p50"] > 0).any()


def test_forecast_zero_rows_for_listed_regions_and_cumulative_training():
    df = frame([("HU32", "cell", "operating", 10.0, 1000, 2020)])
    out = model.forecast(df, None, params(), regions=["HU32", "FI19", "DE11"], country="HU")
    assert set(out["nuts_id"]) == {"HU32"}  # other countries' regions are not added
    out = model.forecast(df, None, params(), regions=["HU32", "FI19"])
    assert set(out["nuts_id"]) == {"FI19", "HU32"} and out.loc[out["nuts_id"] == "FI19", "jobs_p50"].eq(0).all()
    assert list(out.columns) == model.OUT_COLUMNS and out["nuts_id"].is_monotonic_increasing
    cum = model.cumulative_training(model.simulate(df, params()), "HU")
    assert 0 < cum["p10"] <= cum["p50"] <= cum["p90"]


# ---------------------------------------------------------------- new-hire training by EQF band (issue 5)

ROLES = pd.DataFrame({  # test values only
    "role_id": ["op", "tech", "eng", "inspector"], "typical_eqf": [4, 5, 6, 2],
    "mix_cell": [0.6, 0.2, 0.1, 0.1], "mix_materials": [0.1, 0.6, 0.3, 0.0],
    "mix_pack": [0.7, 0.1, 0.1, 0.1], "mix_recycling": [0.5, 0.3, 0.2, 0.0],
})
VET_ROLES = ["inspector", "op"]
TRAIN = ["training_p10", "training_p50", "training_p90"]
band_st = st.floats(0, 2)


def test_eqf_bands_and_band_mix():
    assert [model.eqf_band(v) for v in (1, 2, 4, "5", 6, 8, None, float("nan"), "x")] == [
        "eqf_2_4", "eqf_2_4", "eqf_2_4", "eqf_5", "eqf_6_8", "eqf_6_8", "unbanded", "unbanded", "unbanded"]
    w = params().with_roles(ROLES).band_weights()
    np.testing.assert_allclose(w[model.GROUPS.index("cell")], [0.7, 0.2, 0.1, 0.0])
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    assert (params().band_weights()[:, -1] == 1).all()  # no role table: one share for all


def test_band_factor_overrides():
    p = params(train_eqf24=1.1, train_eqf68=0.5)
    assert p.band_multiplier("eqf_2_4").central == 1.1 and p.band_multiplier("eqf_5").central == 1.0
    assert dict(p.overrides)["train_eqf68"] == 0.5
    assert p.effective_new_hire_share("eqf_2_4") == pytest.approx(0.99)
    assert p.effective_new_hire_share("eqf_6_8") == pytest.approx(0.45)
    assert params(train_eqf24=2).effective_new_hire_share("eqf_2_4") == 1.0  # capped at 1
    for bad in (-1, model.MAX_BAND_MULTIPLIER + 1, float("nan")):
        with pytest.raises(ValueError):
            params(train_eqf5=bad)


def test_band_training_by_hand():
    """One operating cell plant at full output, fixed shares: 2025 training = replacement hires × h."""
    df = frame([("HU32", "cell", "operating", 10.0, 1000, 2020)])
    roles = pd.DataFrame({"role_id": ["op", "eng"], "typical_eqf": [4, 6], "mix_cell": [0.8, 0.2],
                          "mix_materials": [0, 0], "mix_pack": [0, 0], "mix_recycling": [0, 0]})
    p = model.Params.from_assumptions(ASSUMPTIONS).with_overrides(draws=20, train_eqf24=1.5, train_eqf68=0.5)
    p = model.Params(**{**p.__dict__, "new_hire_training": model.Range(None, 0.5, None),
                        "replacement_rate": model.Range(None, 0.1, None), "reskilling": model.Range(None, 0.0, None)})
    out = model.forecast(df, roles, p).set_index(["year", "role_id"])
    # h = 0.8 × min(1, 0.5 × 1.5) + 0.2 × min(1, 0.5 × 0.5) = 0.65; 0.65 × 0.1 × 1000 = 65 = 60 (op) + 5 (eng)
    assert out.loc[(2025, "op"), "training_p50"] == pytest.approx(60, abs=0.1)
    assert out.loc[(2025, "eng"), "training_p50"] == pytest.approx(5, abs=0.1)
    assert out.loc[(2025, "op"), "jobs_p50"] == pytest.approx(800, abs=0.1)


@FAST
@given(st.lists(plant_st, min_size=1, max_size=6), st.integers(0, 2**31 - 1))
def test_band_factors_one_equal_the_single_share_model(specs, seed):
    df = frame(specs)
    p = params(seed=seed)  # factors not in ASSUMPTIONS: 1 for every band
    single = model.forecast(df, None, p)  # no role table: one new-hire share
    banded = model.forecast(df, ROLES, p)
    unbanded = model.forecast(df, ROLES.drop(columns="typical_eqf"), p)
    if single.empty:
        assert banded.empty
        return
    total = banded.groupby(["nuts_id", "year"])[TRAIN].sum().reset_index()
    np.testing.assert_allclose(total[TRAIN].to_numpy(), single[TRAIN].to_numpy(), rtol=1e-4, atol=0.3)
    np.testing.assert_allclose(banded[TRAIN].to_numpy(), unbanded[TRAIN].to_numpy(), rtol=1e-4, atol=0.11)
    explicit = params(seed=seed, train_eqf24=1, train_eqf5=1, train_eqf68=1)
    pd.testing.assert_frame_equal(model.forecast(df, ROLES, explicit), banded)


@FAST
@given(st.lists(plant_st, min_size=1, max_size=6), band_st, band_st, band_st, st.floats(0.01, 1))
def test_raising_the_vet_band_never_lowers_vet_training(specs, m24, m5, m68, more):
    df = frame(specs)
    low = params(draws=200, train_eqf24=m24, train_eqf5=m5, train_eqf68=m68)
    high = params(draws=200, train_eqf24=m24 + more, train_eqf5=m5, train_eqf68=m68)
    a, b = (model.forecast(df, ROLES, p) for p in (low, high))
    total_a, total_b = (x.groupby(["nuts_id", "year"])[TRAIN].sum().to_numpy() for x in (a, b))
    tol = 0.5 + 1e-5 * total_a
    assert (total_b >= total_a - tol).all()  # the total never falls
    vet_a, vet_b = (x[x["role_id"].isin(VET_ROLES)].groupby(["nuts_id", "year"])[TRAIN].sum().to_numpy()
                    for x in (a, b))
    assert (vet_b >= vet_a - tol).all()  # nor the training of the VET roles together
    # each VET role's mean training never falls (percentiles of one role follow where a row has one group)
    sims = [model.aggregate(model.simulate(df, p.with_roles(ROLES)), "europe") for p in (low, high)]
    means = [model.split(model.percentiles(s).assign(jobs_p10=0.0, jobs_p50=0.0, jobs_p90=0.0,
                                                      training_p10=s.train_mean.sum(axis=1),
                                                      training_p50=0.0, training_p90=0.0),
                         *model.role_mix(ROLES), bands=model.role_bands(ROLES)) for s in sims]
    for mean_a, mean_b in zip(*(m[m["role_id"].isin(VET_ROLES)]["training_p10"].to_numpy() for m in means),
                              strict=True):
        assert mean_b >= mean_a - 1e-6 * (1 + abs(mean_a))


@FAST
@given(st.lists(plant_st, min_size=1, max_size=6), band_st, band_st, band_st, st.integers(0, 1000))
def test_role_training_adds_up_ordered_and_repeatable(specs, m24, m5, m68, seed):
    df = frame(specs)
    p = params(draws=200, seed=seed, train_eqf24=m24, train_eqf5=m5, train_eqf68=m68)
    out = model.forecast(df, ROLES, p)
    total = model.forecast(df, None, p.with_roles(ROLES))  # same band mix, no role split
    if total.empty:
        return
    summed = out.groupby(["nuts_id", "year"])[TRAIN].sum().reset_index()
    np.testing.assert_allclose(summed[TRAIN].to_numpy(), total[TRAIN].to_numpy(), rtol=1e-4, atol=0.3)
    assert (out["training_p10"] <= out["training_p50"] + 1e-6).all()
    assert (out["training_p50"] <= out["training_p90"] + 1e-6).all()
    assert (out["training_p10"] >= 0).all()
    pd.testing.assert_frame_equal(out, model.forecast(df, ROLES, p))


def test_band_shares_and_single_group_vet_roles():
    df = frame([("HU32", "cell", "under_construction", 20.0, None, 2026), ("HU32", "cell", "announced", 8.0, 900, 2028)])
    shares = {}
    for m in (0.5, 1.0, 1.5):
        p = params(draws=500, train_eqf24=m).with_roles(ROLES)
        pct = model.scope_frame(model.simulate(df, p))
        shares[m] = model.band_shares(pct, ROLES)
        assert sum(shares[m].values()) == pytest.approx(1)
        out = model.split(pct.assign(nuts_id="EU"), *model.role_mix(ROLES), bands=model.role_bands(ROLES))
        shares[m]["op"] = out[out["role_id"] == "op"][TRAIN].to_numpy()
    assert shares[0.5]["eqf_2_4"] < shares[1.0]["eqf_2_4"] < shares[1.5]["eqf_2_4"]
    assert (shares[0.5]["op"] <= shares[1.0]["op"] + 1e-6).all() and (shares[1.0]["op"] <= shares[1.5]["op"] + 1e-6).all()
    assert model.band_shares(pd.DataFrame(), ROLES) == {} and model.band_shares(pct, None) == {}


@FAST
@given(st.lists(plant_st, min_size=1, max_size=8), st.integers(0, 2**31 - 1), st.sampled_from(model.YEARS))
def test_at_year_equals_filtering_afterwards(specs, seed, year):
    sim = model.aggregate(model.simulate(frame(specs), params(seed=seed)), 2)
    full = model.percentiles(sim)
    full = full[full["year"] == year].reset_index(drop=True)
    one = model.percentiles(model.at_year(sim, year))
    pd.testing.assert_frame_equal(one, full)
    assert model.percentiles(model.at_year(sim, 1999)).empty


def test_risk_with_the_simulation_preparation():
    df = frame([("HU32", "cell", "operating", 40.0, 1000, 2020), ("DE11", "cathode", "announced", 53.0, None, 2028)])
    p = params()
    sim = model.simulate(df, p)
    pd.testing.assert_frame_equal(model.risk(df, p, prep=sim.plants), model.risk(df, p))


# ---------------------------------------------------------------- freshness (issue 15)

FRESHNESS = {**ASSUMPTIONS, "pipeline_freshness": {
    "stale_probability_factor": {"value": 0.75, "low": 0.5, "high": 1.0, "status": "assumption"},
    "stale_delay_years": {"value": 1, "status": "assumption"},
}}


def fresh_params(**kw):
    return model.Params.from_assumptions(FRESHNESS).with_overrides(draws=200, seed=1, today="2026-12-04", **kw)


def _site(i, status_date, start):
    return {**plant(i, "HU32", "cell", "under_construction", 10.0, 1000, start), "status_date": status_date}


def test_stale_and_past_due_sites_are_flagged_and_labelled():
    df = pd.DataFrame([_site(0, "2026-06-01", 2028), _site(1, "2024-03-01", 2028), _site(2, "2026-06-01", 2025),
                       _site(3, None, 2028), {**_site(4, "2020-01-01", 2020), "status": "operating"}])
    prep = model.prepare(df, fresh_params())
    assert list(prep["freshness_risk"]) == ["", "stale", "past_due", "stale", ""]
    assert list(prep["freshness"]) == ["", "status unverified since 2024-03", "", "status date unknown", ""]
    # the stale / past-due site starts stale_delay_years later; the fresh one keeps its year
    assert list(prep["start"][:3]) == [2028, 2029, 2027]


def test_stale_setting_changes_stale_sites_only():
    fresh, stale = pd.DataFrame([_site(0, "2026-06-01", 2027)]), pd.DataFrame([_site(1, "2024-03-01", 2027)])

    def jobs(df, **kw):
        return model.scope_frame(model.simulate(df, fresh_params(**kw))).set_index("year")["jobs_p50"]

    # fresh site: the setting does not matter
    pd.testing.assert_series_equal(jobs(fresh), jobs(fresh, p_stale=0.2, delay_stale=3))
    # stale site: lower factor -> fewer jobs; more delay -> later start
    base, low = jobs(stale), jobs(stale, p_stale=0.2)
    assert low[2033] < base[2033] and low[2033] == pytest.approx(base[2033] * 0.2 / 0.75, rel=0.15)
    assert jobs(stale, delay_stale=0)[2027] > 0 == base[2027]
    # without the section (older assumptions files): no adjustment at all
    plain = model.Params.from_assumptions(ASSUMPTIONS).with_overrides(draws=200, seed=1, today="2026-12-04")
    assert model.scope_frame(model.simulate(stale, plain))["jobs_p50"].sum() == pytest.approx(
        jobs(fresh).sum(), rel=1e-6)


def test_stale_what_if_validation_and_citation():
    with pytest.raises(ValueError):
        fresh_params(p_stale=1.5)
    p = fresh_params(p_stale=0.5, delay_stale=2)
    assert p.stale_factor.central == 0.5 and p.stale_delay_years == 2
    assert "p_stale" in model.WHAT_IF_KEYS and "delay_stale" in model.WHAT_IF_KEYS
    cites = model.citations(FRESHNESS)
    row = cites[cites["parameter"] == "pipeline_freshness.stale_probability_factor"].iloc[0]
    assert row["status"] == "assumption" and row["value"] == "0.75"
def test_period_training_is_the_percentile_of_summed_draws():
    """#16 item 7: the cumulative need of a period = percentiles of the draws summed over its years, per region
    the same as for that region alone; the reskilling share is the first-year incumbents' part."""
    df = frame([("HU32", "cell", "operating", 10.0, 1000, 2020), ("HU21", "pack", "announced", 5.0, None, 2026),
                ("FI19", "cathode", "under_construction", 20.0, 400, 2025)])
    sim = model.simulate(df, params())
    one = model.period_training(model.subset(sim, "HU32"), "europe", 2024, 2030).iloc[0]
    cum = model.cumulative_training(sim, "HU32", 2030)
    assert one["training_p50"] == pytest.approx(cum["p50"], rel=1e-4)
    by_region = model.period_training(sim, 2, 2024, 2030).set_index("nuts_id")
    assert by_region.loc["HU32", "training_p50"] == pytest.approx(one["training_p50"], rel=1e-6)
    assert 0 < by_region.loc["HU32", "reskill_share"] <= 1  # operating since 2020: incumbents in 2023
    hu = model.period_training(model.subset(sim, "HU"), 0, 2024, 2030).iloc[0]
    assert hu["training_p50"] <= by_region.loc[["HU32", "HU21"], "training_p90"].sum()
    assert model.period_training(sim, 2, 2040, 2041).empty


def _sparse_rows(rng, n_rows, n_cols, max_nnz):
    rows = np.zeros((n_rows, n_cols))
    for i in range(n_rows):
        cols = rng.choice(n_cols, rng.integers(1, max_nnz + 1), replace=False)
        rows[i, cols] = rng.uniform(-1, 1, len(cols)) * 10.0 ** rng.integers(-3, 4)
    return rows


@pytest.mark.parametrize(("n_rows", "n_cols", "draws", "max_nnz"), [(5, 7, 41, 3), (203, 160, 10_000, 8)])
def test_quantiles_equal_numpy_percentiles_of_the_float64_draws(monkeypatch, n_rows, n_cols, draws, max_nnz):
    """#19: the percentile step (sparse float64 products + introselect, in blocks on threads) gives numpy's
    'linear' percentiles of the float64 draws `rows @ basis` to 1e-12 (only the order of a few additions may
    differ), whatever the block size and number of threads."""
    rng = np.random.default_rng(n_rows)
    rows = _sparse_rows(rng, n_rows, n_cols, max_nnz)
    rows[1] = 0.0  # an all-zero row
    basis = rng.gamma(2.0, 50.0, (n_cols, draws)).astype(np.float32)
    basis[0, : draws // 3] = 0.0  # ties, as for statuses with P = 0 in some draws
    expected = np.percentile(rows @ basis.astype(np.float64), model.QUANTILES, axis=1, method="linear").T
    results = []
    for block, workers in ((8, 2), (3, 1), (64, 2)):
        monkeypatch.setattr(model, "BLOCK", block)
        monkeypatch.setattr(model, "WORKERS", workers)
        got = model._quantiles(rows, basis)
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12 * np.abs(expected).max())
        results.append(got)
    for got in results[1:]:
        np.testing.assert_array_equal(got, results[0])  # same bits whatever the blocks and threads
    assert model._quantiles(np.zeros((0, n_cols)), basis).shape == (0, len(model.QUANTILES))


@pytest.mark.parametrize("draws", [501, 10_000])
def test_percentiles_equal_numpy_on_the_model_draws(draws):
    """#19: jobs and training P10/P50/P90 of every row = numpy's percentiles of the row's draws computed in
    float64 from the same basis (jobs: coef @ basis; training: training_matrix() @ training_basis()); the only
    difference allowed is the 1e-9 rounding of the normalised rows that `_dedupe` uses to share work."""
    df = frame([("HU32", "cell", "announced", 50.0, None, 2025), ("HU32", "cathode", "under_construction", 20.0,
                                                                   300, 2027), ("DE11", "pack", "paused", 5.0, None, 2024),
                ("DE11", "recycling", "announced", 12.0, None, 2030), ("FI19", "anode", "operating", 8.0, 150, 2023)])
    for level in (2, 0, "europe"):
        sim = model.aggregate(model.simulate(df, params(draws=draws)), level)
        pct = model.percentiles(sim)
        for name, drawn in (("jobs", sim.coef @ sim.basis.astype(np.float64)),
                            ("training", sim.training_matrix() @ sim.training_basis().astype(np.float64))):
            expected = np.percentile(drawn, model.QUANTILES, axis=1, method="linear").T
            got = pct[[f"{name}_p{q}" for q in model.QUANTILES]].to_numpy()
            np.testing.assert_allclose(got, expected, rtol=1e-8, atol=1e-9)


def test_assumptions_are_read_once_per_version_of_the_file_and_each_caller_gets_its_own_copy(tmp_path):
    path = tmp_path / "assumptions.yaml"
    path.write_text("training:\n  reskill_pool_share: {value: 0.1}\n", encoding="utf-8")
    first = model.load_assumptions(path)
    first["training"]["reskill_pool_share"]["value"] = 0.9  # a caller changing its copy
    assert model.load_assumptions(path)["training"]["reskill_pool_share"]["value"] == 0.1
    path.write_text("training:\n  reskill_pool_share: {value: 0.25}\n", encoding="utf-8")  # an edited file
    assert model.load_assumptions(path)["training"]["reskill_pool_share"]["value"] == 0.25
    assert model.load_assumptions(tmp_path / "missing.yaml") == {}
    assert model.load_assumptions(tmp_path) == {}  # a folder
    path.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(ValueError, match="expected a mapping"):
        model.load_assumptions(path)
    assert model.load_assumptions() == model.load_assumptions()  # the real file, parsed once


def _adversarial_rows(n: int) -> np.ndarray:
    """Rows the bucketed selection must get exactly right: mass points (many equal draws, as ramps at 1.0 or
    statuses with P = 0), all equal, negative, huge and tiny magnitudes, a subnormal span, ties across bucket
    edges, non-finite draws (numpy's order: NaN last)."""
    rng = np.random.default_rng(n)
    rows = [rng.gamma(2.0, 50.0, n), -rng.gamma(2.0, 1.0, n), np.full(n, 3.25), np.zeros(n),
            np.where(rng.random(n) < 0.6, 1.0, rng.random(n)), np.where(rng.random(n) < 0.3, 0.0, rng.random(n)),
            rng.integers(0, 4, n).astype(float), rng.standard_normal(n) * 1e300, rng.standard_normal(n) * 1e-300,
            np.where(rng.random(n) < 0.5, 0.0, 5e-324), 1.0 + np.arange(n) * np.finfo(float).eps,
            np.linspace(0.0, 1.0, n), rng.standard_normal(n), rng.standard_normal(n), rng.standard_normal(n)]
    nan_row, inf_row = rng.standard_normal(n), rng.standard_normal(n)
    nan_row[:: 7] = np.nan
    inf_row[0] = np.inf
    inf_row[-1] = -np.inf
    return np.vstack([*rows, nan_row, inf_row])


@pytest.mark.parametrize("n", [1, 2, 41, 1000, 10_000])
def test_order_stats_equal_numpy_partition_bit_for_bit(n):
    """#19: the bucketed exact selection returns numpy's order statistics of every row, bit for bit, whatever
    the row (mass points, equal draws, any magnitude, non-finite draws), at the percentiles' ranks and the
    edges; the draws are not changed."""
    rows = _adversarial_rows(n)
    ranks = np.unique(np.array([0, n // 10, n // 10 + 1, n // 2, n // 2 + 1, n - 1]).clip(0, n - 1))
    expected = np.take_along_axis(np.partition(rows, ranks, axis=1), np.broadcast_to(ranks, (len(rows), len(ranks))),
                                  axis=1)
    before = rows.copy()
    got = model._order_stats(rows, ranks, np.empty_like(rows), np.empty(rows.shape, np.int32),
                             np.empty(rows.shape, bool))
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(rows, before)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 300), st.integers(1, 5), st.integers(0, 2**32 - 1), st.sampled_from([1, 2, 3, 1000]))
def test_order_stats_equal_numpy_partition_on_random_ties(n, n_rows, seed, levels):
    """#19: rows drawn from few distinct values (ties everywhere) or continuous ones, any rank: numpy's value."""
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, levels, (n_rows, n)) * rng.standard_normal() + rng.standard_normal((n_rows, 1))
    ranks = np.unique(rng.integers(0, n, 6))
    expected = np.partition(rows, ranks, axis=1)[:, ranks]
    got = model._order_stats(rows, ranks, np.empty_like(rows), np.empty(rows.shape, np.int32),
                             np.empty(rows.shape, bool))
    np.testing.assert_array_equal(got, expected)


def _dedupe_by_rows(mat: np.ndarray):
    """The row-by-row reference: every normalised row's bytes (−0.0 read as 0.0), first occurrence first."""
    scale = np.abs(mat).max(axis=1) if mat.size else np.zeros(len(mat))
    nz = scale > 0
    norm = np.round(mat[nz] / scale[nz, None], 9) + 0.0
    seen: dict[bytes, int] = {}
    inv = np.array([seen.setdefault(row.tobytes(), len(seen)) for row in norm], dtype=int)
    first = [list(inv).index(i) for i in range(len(seen))]
    return nz, scale, norm[first], inv


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 40), st.integers(1, 9), st.integers(0, 2**32 - 1))
def test_dedupe_keeps_one_row_per_direction(n_rows, n_cols, seed):
    """#19: rows that are positive multiples of each other share one normalised row, in the order of their first
    occurrence — the same rows, mapping and scales as comparing whole rows, on sparse rows with repeats, negative
    multiples and all-zero rows."""
    rng = np.random.default_rng(seed)
    base = rng.integers(-2, 3, (max(n_rows // 3, 1), n_cols)) * (rng.random((1, n_cols)) < 0.5)
    mat = base[rng.integers(0, len(base), n_rows)] * rng.choice([1.0, 0.5, 3e-7, 4e9, -2.0], (n_rows, 1))
    got, want = model._dedupe(mat), _dedupe_by_rows(mat)
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)


def test_dedupe_leaves_out_rows_without_a_scale():
    """#19: a row with a NaN (no scale) is left out like an all-zero row, and the other rows keep their place."""
    mat = np.array([[0.0, 2.0, 0.0], [np.nan, 1.0, 0.0], [0.0, 4.0, 0.0], [0.0, 0.0, 0.0], [1.0, 0.0, -1.0]])
    nz, scale, uniq, inv = model._dedupe(mat)
    assert nz.tolist() == [True, False, True, False, True]
    np.testing.assert_array_equal(uniq, [[0.0, 1.0, 0.0], [1.0, 0.0, -1.0]])
    assert inv.tolist() == [0, 0, 1]
