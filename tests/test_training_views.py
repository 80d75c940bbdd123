"""training_data.white_spots_view / gap_view: what the /training page shows, cached per view."""

from workforce.views import training_data


def test_gap_view_window_and_pivots_for_a_region():
    view = training_data.gap_view("HU", "HU32", "base", 2030)
    win = view["window"]
    assert not win.empty and set(win["nuts_id"]) == {"HU32"}
    assert list(view["pivot_gap"].index) == list(view["pivot_text"].index)
    assert list(view["pivot_gap"].columns) == list(view["pivot_text"].columns)
    unknown = view["pivot_text"] == "unknown"
    assert view["pivot_gap"][unknown].isna().all().all()  # unknown capacity is never a number
    assert set(view["all"]["nuts_id"].str[:2]) == {"HU"} and view["all"]["year"].max() >= 2030


def test_white_spots_view_names_and_scope():
    ws = training_data.white_spots_view("HU", None, "base", None)
    assert set(ws["nuts_id"].str[:2]) <= {"HU"}
    assert {"region_name", "role"} <= set(ws.columns)
    assert training_data.white_spots_view("HU", "HU32", "base", None)["nuts_id"].isin(["HU32"]).all()


def test_network_has_one_node_per_company_and_school():
    """Issue 21: "EcoPro" / "EcoPro BM Hungary" and "CATL" / "CATL Debrecen" were separate nodes; DSZC was
    written two ways. The linked plant's company names the node; the site stays an attribute."""
    from workforce import db

    edges = db.run("partnership_network", country="HU")
    companies = set(edges["company"])
    assert "CATL Debrecen" not in companies and "EcoPro BM Hungary" not in companies
    assert {"CATL", "EcoPro BM"} <= companies
    dszc = {s for s in edges["education_party"] if "Debrecen Vocational" in s}
    assert dszc == {"Debrecen Vocational Training Centre"}
    assert edges["education_party_as_stated"].notna().all()
