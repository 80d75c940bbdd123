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


def test_reasons_in_every_language():
    """White-spot and overlap reasons (English, from workforce.training) are shown in fi/hu/de: every reason the
    catalogue produces is recognised (none stays English), role ids become role names, numbers the locale's."""
    from workforce import i18n, training

    progs = training_data.regional_programmes(None)
    reasons = set(training.overlaps(progs, threshold=0.3)["reason"]) | set(
        training.overlaps(progs, threshold=0.3, max_km=200)["reason"])
    for km in (None, 100):
        reasons |= set(training_data.white_spots("HU", 2, km, "base")[0]["reason"])
    assert len(reasons) > 3
    for lang in ("fi", "hu", "de"):
        for reason in reasons:
            shown = training_data.reason_in(reason, lang)
            assert shown != reason and "EQF level" not in shown and "no programme" not in shown, (lang, reason)
            assert "production_operator" not in shown
        assert training_data.reason_in("Jaccard 0.50 ≥ 0.50", lang) == "Jaccard 0.50 ≥ 0.50"  # unknown: unchanged
    assert training_data.reason_in(next(iter(reasons)), "en") == next(iter(reasons))
    ws = training_data.reason_in("no programme for production_operator located in HU32 (nearest P1, 12 km from the "
                                 "region centre)", "de")
    assert ws == (i18n.t("training.reason.ws_in_region", "de", role=i18n.role_label("production_operator", "de"),
                         region="HU32") + " (" + i18n.t("training.reason.ws_nearest_centre", "de", programme="P1",
                                                        km="12") + ")")


def test_heat_map_text_in_language():
    """The gap heat map and its table: role names by i18n.role_label, "unknown" and numbers in the viewer's
    language; the table keeps machine column names (region + role ids) with labels."""
    from workforce import i18n

    view = training_data.gap_view("HU", "HU32", "base", 2030)
    _, text = training_data.gap_pivots_in(view, "de")
    assert set(text.columns) <= {i18n.role_label(r, "de") for r in view["window"]["role_id"]}
    assert (text == i18n.t("present.unknown", "de")).any().any() and not (text == "unknown").any().any()
    frame, labels = training_data.gap_table_in(view, "fi")
    assert frame.columns[0] == "region" and set(frame.columns[1:]) <= set(view["window"]["role_id"])
    assert labels["region"] == i18n.column_label("region", "fi")
    assert i18n.plotly_separators("de") == ",." and i18n.plotly_separators("en") == ".,"
