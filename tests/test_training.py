"""workforce.training on small hand-built cases (test-only values, never shown as real)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from workforce import training


def prog(pid, roles="", nuts2="HU32", eqf=4, cap=None, lat=47.53, lon=21.62, mode="initial_vet", provider=None,
         country="HU", programme="Programme", notes=None):
    return {"programme_id": pid, "provider": provider or f"prov {pid}", "programme": programme, "country": country,
            "nuts2": nuts2, "lat": lat, "lon": lon, "eqf_level": eqf, "mode": mode, "role_ids": roles,
            "capacity_per_year": cap, "notes": notes, "source_title": f"src {pid}", "source_url": "https://example.org"}


def frame(*rows):
    df = pd.DataFrame(list(rows))
    df["eqf_level"] = df["eqf_level"].astype("Int64")
    df["capacity_per_year"] = df["capacity_per_year"].astype("Float64")
    return df


ROLES = pd.DataFrame({"role_id": ["op", "mt", "lab"], "role": ["Operator", "Maintenance", "Lab"],
                      "mix_cell": [0.6, 0.2, 0.0], "mix_materials": [0.0, 0.5, 0.5], "mix_pack": [1.0, 0.0, 0.0],
                      "mix_recycling": [0.0, 0.0, 0.0]})


# ---------------------------------------------------------------- jaccard

def test_jaccard_basics():
    assert training.jaccard({"a", "b"}, {"b", "c"}) == pytest.approx(1 / 3)
    assert training.jaccard({"a"}, {"a"}) == 1.0
    assert training.jaccard(set(), set()) == 0.0, "two empty role lists are not 'identical'"
    assert training.jaccard({"a"}, set()) == 0.0


def test_role_set_parsing():
    assert training.role_set(" a; b;;a ;") == {"a", "b"}
    assert training.role_set(None) == set() and training.role_set(float("nan")) == set()
    assert training.role_set(pd.NA) == set()


@given(st.sets(st.sampled_from("abcdef")), st.sets(st.sampled_from("abcdef")))
def test_jaccard_properties(a, b):
    j = training.jaccard(a, b)
    assert 0.0 <= j <= 1.0 and j == training.jaccard(b, a)
    assert (j == 1.0) == (a == b and bool(a))


# ---------------------------------------------------------------- overlaps

def test_overlap_tie_at_threshold_counts():
    df = frame(prog("A", "op;mt"), prog("B", "op;lab"), prog("C", "op;mt;lab"))
    ov = training.overlaps(df, threshold=0.5)
    pairs = {(r.programme_a, r.programme_b): r.similarity for r in ov.itertuples()}
    assert ("A", "B") not in pairs  # 1/3 < 0.5
    assert pairs[("A", "C")] == pytest.approx(2 / 3) and pairs[("B", "C")] == pytest.approx(2 / 3)
    ov_tie = training.overlaps(frame(prog("A", "op;mt"), prog("B", "op")), threshold=0.5)
    assert len(ov_tie) == 1 and ov_tie.iloc[0]["similarity"] == 0.5, "similarity equal to the threshold counts"
    assert ov_tie.iloc[0]["shared_roles"] == "op" and "same EQF level 4" in ov_tie.iloc[0]["reason"]
    assert training.overlaps(frame(prog("A", "op;mt"), prog("B", "op")), threshold=0.51).empty


def test_overlap_needs_same_region_and_same_eqf():
    df = frame(prog("A", "op"), prog("B", "op", nuts2="HU31"), prog("C", "op", eqf=5))
    assert training.overlaps(df, threshold=0.5).empty, "other region or other EQF level: no overlap"


def test_empty_role_lists_never_overlap():
    df = frame(prog("A", ""), prog("B", None), prog("C", ""))
    assert training.overlaps(df, threshold=0.0).empty


def test_unknown_eqf_is_not_comparable_and_says_so():
    df = frame(prog("A", "op"), prog("B", "op", eqf=None))
    ov = training.overlaps(df, threshold=0.5)
    assert len(ov) == 1
    row = ov.iloc[0]
    assert not row["comparable"] and math.isnan(row["eqf_level"])
    assert "EQF level unknown for B" in row["reason"] and "not comparable" in row["reason"]


def test_distance_filter():
    # Debrecen and Nyíregyháza (~ 45 km), Budapest (~ 195 km); different NUTS-2 codes on purpose
    df = frame(prog("D", "op", nuts2="HU32", lat=47.53, lon=21.63), prog("N", "op", nuts2="HU3X", lat=47.95, lon=21.72),
               prog("B", "op", nuts2="HU11", lat=47.50, lon=19.04))
    assert training.overlaps(df).empty, "same-region rule: all three differ"
    near = training.overlaps(df, max_km=60)
    assert list(zip(near["programme_a"], near["programme_b"], strict=True)) == [("D", "N")]
    assert 40 < near.iloc[0]["distance_km"] < 55 and "km apart" in near.iloc[0]["reason"]
    assert len(training.overlaps(df, max_km=250)) == 3
    no_coords = frame(prog("X", "op", lat=None, lon=None), prog("Y", "op", lat=None, lon=None))
    assert training.overlaps(no_coords, max_km=1000).empty, "without coordinates no distance claim is made"


def test_overlap_bad_arguments():
    with pytest.raises(ValueError):
        training.overlaps(frame(prog("A", "op")), threshold=1.5)
    with pytest.raises(ValueError):
        training.overlaps(frame(prog("A", "op")), max_km=-1)


def test_haversine_known_distance():
    assert training.haversine_km(47.50, 19.04, 48.21, 16.37) == pytest.approx(214, abs=5)  # Budapest–Vienna


# ---------------------------------------------------------------- demand proxy

def test_need_proxy_uses_mix_and_skips_cancelled_and_unknown():
    plants = pd.DataFrame({
        "nuts2": ["HU32", "HU32", "HU32", "HU32"], "segment": ["cell", "cathode", "other", "cell"],
        "jobs_announced": [1000, 100, 50, 500], "start_year": [2026, 2026, 2026, 2027],
        "status": ["announced", "operating", "operating", "cancelled"]})
    n = training.need_proxy(plants, ROLES, level=2).set_index(["year", "role_id"])["need"]
    assert n[(2026, "op")] == pytest.approx(1000 * 0.6 / 0.8)
    assert n[(2026, "mt")] == pytest.approx(1000 * 0.2 / 0.8 + 100 * 0.5)
    assert n[(2026, "lab")] == pytest.approx(50.0)
    assert 2027 not in n.index.get_level_values(0), "cancelled plant adds nothing"
    n0 = training.need_proxy(plants, ROLES, level=0)
    assert set(n0["nuts_id"]) == {"HU"}


# ---------------------------------------------------------------- white spots

def test_white_spots_in_region_and_with_distance():
    demand = pd.DataFrame({"nuts_id": ["HU32", "HU32", "HU11"], "role_id": ["op", "lab", "op"],
                           "year": [2026, 2026, 2026], "need": [100.0, 20.0, 0.0]})
    progs = frame(prog("A", "op", nuts2="HU32"), prog("B", "lab", nuts2="HU31", lat=48.1, lon=20.78))
    ws = training.white_spots(demand, progs)
    assert list(zip(ws["nuts_id"], ws["role_id"], strict=True)) == [("HU32", "lab")], "zero need is not a white spot"
    assert ws.iloc[0]["need"] == 20 and "no programme for lab located in HU32" in ws.iloc[0]["reason"]
    cents = pd.DataFrame({"nuts_id": ["HU32"], "lat": [47.53], "lon": [21.62]})
    assert training.white_spots(demand, progs, max_km=100, centroids=cents).empty, "Miskolc is ~90 km away"
    far = training.white_spots(demand, progs, max_km=50, centroids=cents)
    assert far.iloc[0]["nearest_programme"] == "B" and 80 < far.iloc[0]["nearest_km"] < 100
    none = training.white_spots(demand.assign(role_id="xx"), progs)
    assert (none["reason"].str.contains("no programme in the catalogue")).all()
    assert training.white_spots(demand.iloc[0:0], progs).empty


# ---------------------------------------------------------------- gap

def test_gap_splits_capacity_and_keeps_unknown_unknown():
    need = pd.DataFrame({"nuts_id": ["HU32"] * 4, "role_id": ["op", "mt", "lab", "xx"], "year": [2026] * 4,
                         "need": [100.0, 50.0, 30.0, 10.0]})
    progs = frame(prog("A", "op;mt", cap=40), prog("B", "op", cap=10), prog("C", "lab", cap=None),
                  prog("D", "lab", cap=12))
    g = training.gap(need, progs).set_index("role_id")
    assert g.loc["op", "capacity"] == 30 and g.loc["op", "gap"] == 70 and g.loc["op", "capacity_known"]
    assert g.loc["mt", "capacity"] == 20 and g.loc["mt", "gap"] == 30
    assert math.isnan(g.loc["lab", "capacity"]) and math.isnan(g.loc["lab", "gap"])
    assert not g.loc["lab", "capacity_known"], "unknown capacity stays unknown, never zero"
    assert g.loc["lab", "capacity_lower_bound"] == 12
    assert g.loc["xx", "capacity"] == 0 and g.loc["xx", "programmes"] == 0 and g.loc["xx", "gap"] == 10
    assert list(training.gap(need, progs).columns[:7]) == ["nuts_id", "role_id", "year", "need", "capacity", "gap",
                                                          "capacity_known"]


def test_gap_window_multiplies_capacity_and_keeps_nan():
    need = pd.DataFrame({"nuts_id": ["HU32"] * 4, "role_id": ["op", "op", "lab", "lab"],
                         "year": [2025, 2026, 2025, 2026], "need": [10.0, 20.0, 5.0, 5.0]})
    progs = frame(prog("A", "op", cap=4), prog("C", "lab", cap=None))
    w = training.gap_window(training.gap(need, progs), 2025, 2026).set_index("role_id")
    assert w.loc["op", "need"] == 30 and w.loc["op", "capacity"] == 8 and w.loc["op", "gap"] == 22
    assert math.isnan(w.loc["lab", "capacity"]) and not w.loc["lab", "capacity_known"]


def test_gap_at_country_level_uses_prefix():
    need = pd.DataFrame({"nuts_id": ["HU"], "role_id": ["op"], "year": [2026], "need": [100.0]})
    progs = frame(prog("A", "op", cap=40, nuts2="HU32"), prog("B", "op", cap=10, nuts2="HU11"),
                  prog("Z", "op", cap=99, nuts2="FI19", country="FI"))
    assert training.gap(need, progs).iloc[0]["capacity"] == 50


# ---------------------------------------------------------------- pathways, coverage, brief

def test_pathways_flows_and_honest_entry_points():
    progs = frame(prog("A", "op;mt", mode="initial_vet", eqf=4),
                  prog("B", "mt", mode="continuous_learning", eqf=None,
                       programme="Battery maintenance for automotive mechatronics technicians"),
                  prog("C", "lab", mode="continuous_learning", eqf=5), prog("D", "", mode="higher_education"))
    links = training.pathways(progs, ROLES)
    entry = links[links["kind"] == "entry_to_programme"]
    assert entry["value"].sum() == 3, "programmes without roles are left out"
    assert "Incumbent automotive workers (named by programme)" in set(entry["source"])
    assert "Incumbent workers (continuous learning)" in set(entry["source"])
    assert "Continuous learning · EQF unknown" in set(entry["target"])
    to_role = links[links["kind"] == "programme_to_role"]
    assert to_role["value"].sum() == pytest.approx(3)
    assert to_role.set_index(["source", "target"]).loc[("Initial VET · EQF 4", "Operator"), "value"] == 0.5


def test_coverage_and_brief():
    need = pd.DataFrame({"nuts_id": ["HU32"] * 3, "role_id": ["op", "mt", "lab"], "year": [2026] * 3,
                         "need": [100.0, 50.0, 30.0]})
    progs = frame(prog("A", "op", cap=40), prog("B", "mt"))
    cov = training.coverage(need, progs[progs["programme_id"] == "A"], progs).set_index("role_id")
    assert cov.loc["op", "covered_by"] == "partnership" and cov.loc["mt", "covered_by"] == "other local programme"
    assert cov.loc["lab", "covered_by"] == "none"
    b = training.brief("HU32", progs, need, ROLES, gap_df=training.gap(need, progs),
                       overlaps_df=training.overlaps(progs), white_spots_df=training.white_spots(need, progs))
    assert b["area"] == "HU32" and b["total_need"] == 180 and b["top_roles"][0]["role"] == "Operator"
    assert b["programmes"] == 2 and b["programmes_unknown_capacity"] == 1
    gap_roles = {r["role_id"]: r for r in b["gap"]}
    assert gap_roles["mt"]["capacity"] is None and not gap_roles["mt"]["capacity_known"]
    assert b["white_spots_count"] == 1 and b["sources"][0]["url"] == "https://example.org"
    assert training.brief("FI", progs, need, ROLES)["total_need"] == 0


def test_need_from_forecast_rolls_up_and_drops_dust():
    fc = pd.DataFrame({"nuts_id": ["HU32", "HU31", "HU32"], "year": [2026, 2026, 2026], "role_id": ["op", "op", "mt"],
                       "training_p50": [10.0, 5.0, 0.2]})
    n = training.need_from_forecast(fc, level=0)
    assert n.to_dict("records") == [{"nuts_id": "HU", "year": 2026, "role_id": "op", "need": 15.0}]


def test_need_switches_between_model_and_proxy():
    plants = pd.DataFrame({"site_id": ["a"], "company": ["A"], "site_name": ["A"], "country": ["HU"], "nuts2": ["HU32"],
                           "segment": ["cell"], "capacity_value": [None], "capacity_unit": [None],
                           "jobs_announced": [1000], "start_year": [2026], "status": ["under_construction"],
                           "status_date": ["2025-01-01"], "as_of": ["2025-01-01"]})
    df, source = training.need(plants, ROLES, level=2)
    assert source == training.NEED_PROXY and df["need"].sum() == pytest.approx(1000)
    from workforce import model

    params = model.Params.from_assumptions(model.load_assumptions(), "base")
    df, source = training.need(plants, ROLES, level=2, params=params)
    assert source == training.NEED_MODEL and set(df["nuts_id"]) == {"HU32"} and (df["need"] >= 0.5).all()


def test_short_label():
    assert training.short_label("Maintenance technician (mechatronics, welder)") == "Maintenance technician"
    assert training.short_label("x" * 50, 10) == "x" * 9 + "…"
    assert training.short_label(None) == ""


def test_figures_escape_data_text():
    from workforce import training_charts

    evil = "<img src=x onerror=alert(1)>"
    progs = frame(prog("A", "op;mt", provider=evil, programme=evil), prog("B", "op", eqf=None, mode="continuous_learning"))
    progs["city"], progs["language"], progs["status"], progs["as_of"] = evil, "en", "observed", "2025"
    roles = ROLES.assign(role=[evil, "Maintenance", "Lab"])
    figs = [training_charts.providers_map(progs), training_charts.pathways_sankey(training.pathways(progs, roles))]
    edges = pd.DataFrame({"partnership_id": ["1"], "company": [evil], "education_party": [evil], "nuts2": ["HU32"],
                          "region_name": [evil]})
    figs.append(training_charts.network_figure(edges, {"HU32"}))
    ws = pd.DataFrame({"nuts_id": ["HU32"], "role_id": [evil], "need": [5.0]})
    figs.append(training_charts.white_spots_map(ws, pd.DataFrame({"nuts_id": ["HU32"], "name": [evil], "lat": [47.5],
                                                                  "lon": [21.6]})))
    for fig in figs:
        blob = fig.to_json()
        assert "<img" not in blob and "\\u003cimg" not in blob and "&lt;img" in blob



def test_sankey_labels_are_two_short_lines_never_broken_inside_a_word():
    """At most two lines per label (three for 'mode · EQF': the level on its own line), each about its column's
    width, a word (a German compound) never split, the rest cut with "…" and whole in the hover."""
    from workforce import training_charts as tc

    assert tc._sankey_label("initial vocational training · EQF unknown", "middle") == \
        "initial vocational training<br>EQF unknown"
    assert tc._sankey_label("Instandhaltungstechniker/in", "role") == "Instandhaltungstechniker/in"
    assert tc._sankey_label("Automatisierungs- und Elektroingenieur/in", "role") == \
        "Automatisierungs- und<br>Elektroingenieur/in"
    assert tc._sankey_label("Laboratory technician (cell chemistry)", "role") == "Laboratory technician"
    long_entry = tc._sankey_label("Beschäftigte Mechanik-/Mechatroniktechniker/innen (vom Programm genannt)", "entry")
    assert long_entry.count("<br>") == 1 and long_entry.endswith("…")
    hu = tc._sankey_label("Elektromos járműakkumulátor-technikus", "role")
    assert hu.startswith("Elektromos<br>járműakkumulátor-tec") and " tec" not in hu  # the rest as written
    assert tc._sankey_label("<b>x</b> · EQF 5", "middle") == "&lt;b&gt;x&lt;/b&gt;<br>EQF 5"


# ---------------------------------------------------------------- supply range and gap classes (#17)

def test_gap_class_is_barometr_style_with_unknown_its_own_class():
    import numpy as np

    from workforce import training as tr

    got = tr.gap_class([10, 1, 3, 3, np.nan], [20, 2, 6, 6, 5], [5, 4, 2, np.nan, 1], [8, 9, 4, np.nan, 2])
    assert got.tolist() == ["shortage", "surplus", "balanced", "unknown", "unknown"]


def test_supply_classes_observed_catalogue_wins_and_modelled_splits_by_path():
    import pandas as pd

    from workforce import training as tr

    window = pd.DataFrame({"nuts_id": ["AA11"] * 3 + ["AA12"], "role_id": ["op", "tech", "eng", "op"],
                           "need": [90.0, 10.0, 50.0, 5.0], "capacity": [0.0, 40.0, None, 0.0],
                           "capacity_known": [True, True, False, True], "programmes": [0, 1, 1, 0]})
    roles = pd.DataFrame({"role_id": ["op", "tech", "eng"], "typical_eqf": [3, 4, 6]})
    supply = pd.DataFrame({"nuts_id": ["AA11"], "supply_vet_low": [1.0], "supply_vet_mid": [2.0],
                           "supply_vet_high": [5.0], "supply_tertiary_low": [1.0], "supply_tertiary_mid": [2.0],
                           "supply_tertiary_high": [4.0]})
    out = tr.supply_classes(window, supply, roles, years=2).set_index(["nuts_id", "role_id"])
    # tech: its programme publishes 40 places -> observed, the catalogue wins
    assert out.loc[("AA11", "tech"), "supply_status"] == "observed" and out.loc[("AA11", "tech"), "supply_mid"] == 40
    assert out.loc[("AA11", "tech"), "gap_class"] == "surplus"
    # op: vet supply x 2 years x op's share of the vet need (90 of 100) -> modelled, shortage
    assert out.loc[("AA11", "op"), "supply_status"] == "modelled"
    assert out.loc[("AA11", "op"), "supply_high"] == pytest.approx(5.0 * 2 * 0.9)
    assert out.loc[("AA11", "op"), "gap_class"] == "shortage"
    # eng: unknown catalogue capacity -> modelled tertiary supply (4 x 2 years, only tertiary role)
    assert out.loc[("AA11", "eng"), "supply_high"] == pytest.approx(8.0)
    # AA12: no modelled supply and no programme -> unknown, never zero
    assert out.loc[("AA12", "op"), "gap_class"] == "unknown" and pd.isna(out.loc[("AA12", "op"), "supply_mid"])
    ranked = tr.rank_by_class(out.reset_index(), "supply_gap")
    assert ranked["gap_class"].tolist() == ["shortage", "shortage", "surplus", "unknown"]
