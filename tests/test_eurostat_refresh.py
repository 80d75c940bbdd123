"""Eurostat API refresh: fetch with a fake opener (success, HTTP error, timeout, slow trickle, garbage,
oversized), cache fallback, region rows with nothing lost, the CLI `import eurostat --fetch`, and the
/sources button with the network unreachable (no request on page load, a banner on click)."""

from __future__ import annotations

import gzip
import io
import json
import time
import urllib.error
import urllib.request

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from workforce import DATA_DIR, ROOT, eurostat_refresh, ingest
from workforce.cli import main

GDP_TSV = (
    "freq,unit,geo\\TIME_PERIOD\t2021 \t2022 \t2023 \n"
    "A,MIO_EUR,HU32\t9000.5 \t9500 p\t: \n"
    "A,MIO_EUR,HU\t150000 \t160000 \t170000 e\n"
    "A,MIO_EUR,HU321\t3000 \t3100 \t3200 \n"
    "A,MIO_EUR,EU27_2020\t1 \t2 \t3 \n"
    "A,MIO_EUR,HUZZ\t0 \t0 \t0 \n"
    "A,MIO_EUR,HU3Z\t1 \t1 \t1 \n"
    "A,PPS_EU27_2020_HAB,HU32\t17000 \t18000 \t: \n"
    "A,PC_EU27_2020_HAB_MPPS,HU32\t55 \t56 \t57 \n"
)


class Resp(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


def serve(body: bytes, calls: list | None = None):
    def opener(url, timeout):
        if calls is not None:
            calls.append((url, timeout))
        return Resp(body)

    return opener


def fail(exc: BaseException, calls: list | None = None):
    def opener(url, timeout):
        if calls is not None:
            calls.append(url)
        raise exc

    return opener


def test_fetch_success_caches_gzip_and_reports_fresh(tmp_path):
    calls: list = []
    got = ingest.fetch_eurostat("NAMA_10R_3GDP", tmp_path, timeout=2, opener=serve(GDP_TSV.encode(), calls))
    assert got.fresh and not got.error and got.path == tmp_path / "nama_10r_3gdp.tsv.gz"
    assert got.path.read_bytes()[:2] == b"\x1f\x8b" and got.saved_on == time.strftime("%Y-%m-%d", time.gmtime())
    assert calls[0][0].startswith("https://ec.europa.eu/eurostat/api/") and "nama_10r_3gdp" in calls[0][0]
    assert calls[0][1] == 2
    assert len(ingest.read_eurostat(got.path)) == 24


def test_fetch_http_error_keeps_earlier_copy(tmp_path):
    err = urllib.error.HTTPError("https://x", 503, "Service Unavailable", {}, None)
    got = ingest.fetch_eurostat("nama_10r_3gdp", tmp_path, opener=fail(err))
    assert got.path is None and not got.fresh and not got.unreachable and got.error == "HTTP 503 Service Unavailable"
    ingest.fetch_eurostat("nama_10r_3gdp", tmp_path, opener=serve(gzip.compress(GDP_TSV.encode())))
    got = ingest.fetch_eurostat("nama_10r_3gdp", tmp_path, opener=fail(err))
    assert got.path == tmp_path / "nama_10r_3gdp.tsv.gz" and not got.fresh and "503" in got.error


@pytest.mark.parametrize("exc", [TimeoutError("timed out"), urllib.error.URLError(TimeoutError("timed out"))])
def test_fetch_timeout_is_unreachable(tmp_path, exc):
    got = ingest.fetch_eurostat("nama_10r_3gdp", tmp_path, timeout=3, opener=fail(exc))
    assert got.path is None and got.unreachable and got.error == "no answer within 3 s"


def test_fetch_never_outlasts_its_timeout_on_a_trickling_server(tmp_path):
    class Slow(Resp):
        def read(self, n=-1):
            time.sleep(0.05)
            return b"x" * 10

    start = time.monotonic()
    got = ingest.fetch_eurostat("nama_10r_3gdp", tmp_path, timeout=0.3, opener=lambda url, timeout: Slow(b""))
    assert time.monotonic() - start < 1.5
    assert got.unreachable and got.path is None and not list(tmp_path.iterdir())


@pytest.mark.parametrize("body", [b"<html><script>alert(1)</script></html>", b"\x1f\x8b\x08garbage", b"", b"\x00" * 50])
def test_fetch_garbage_payload_is_reported_and_never_cached(tmp_path, body):
    got = ingest.fetch_eurostat("nama_10r_3gdp", tmp_path, opener=serve(body))
    assert got.path is None and not got.fresh and not got.unreachable
    assert got.error.startswith("not a Eurostat file")
    assert not list(tmp_path.iterdir())


def test_fetch_oversized_download_refused(tmp_path):
    got = ingest.fetch_eurostat("nama_10r_3gdp", tmp_path, opener=serve(GDP_TSV.encode() * 50), max_bytes=1000)
    assert got.path is None and "larger than" in got.error


def test_fetch_rejects_bad_dataset_codes(tmp_path):
    for code in ("../etc/passwd", "nama 10r", "", "x" * 200):
        with pytest.raises(ValueError):
            ingest.fetch_eurostat(code, tmp_path, opener=fail(AssertionError("no request for a bad code")))


def test_refresh_stops_after_unreachable_and_uses_caches(tmp_path):
    (tmp_path / "nama_10r_3gdp.tsv.gz").write_bytes(gzip.compress(GDP_TSV.encode()))
    calls: list = []
    out = eurostat_refresh.refresh(tmp_path, timeout=5, opener=fail(urllib.error.URLError("no network"), calls))
    assert len(calls) == 1, "no further requests once Eurostat is unreachable"
    assert [f.dataset for f in out] == list(eurostat_refresh.DATASETS)
    assert all(f.unreachable and not f.fresh for f in out)
    assert [f.path is not None for f in out] == [code == "nama_10r_3gdp" for code in eurostat_refresh.DATASETS]


def test_region_rows_account_for_every_row(tmp_path):
    df = ingest.read_eurostat(GDP_TSV, dataset="nama_10r_3gdp")
    rows, counts = eurostat_refresh.region_rows(df, "2026-01-02")
    assert counts["read"] == len(df) == 24
    assert counts["other_series"] == 3  # PC_EU27_2020_HAB_MPPS is not a bundled indicator
    assert counts["not_nuts_0_2"] == 9  # NUTS 3, EU aggregate, extra-regio
    assert counts["missing_value"] == 2
    assert counts["read"] == counts["other_series"] + counts["not_nuts_0_2"] + counts["missing_value"] + len(rows)
    assert sorted(set(rows["indicator"])) == ["gdp_mio_eur", "gdp_pps_hab"]
    assert (rows["as_of"] == "2026-01-02").all() and (rows["status"] == "observed").all()

    loaded = eurostat_refresh.load(ingest.Fetch("nama_10r_3gdp", _cache(tmp_path, GDP_TSV), fresh=True))
    assert len(loaded["valid"]) + len(loaded["rejected"]) == len(rows) == 10
    assert loaded["rejected"]["nuts_id"].tolist() == ["HU3Z"] * 3
    assert "did you mean" in loaded["rejected"]["reason"].iloc[0]
    hu32 = loaded["valid"].query("nuts_id == 'HU32' and indicator == 'gdp_mio_eur' and year == 2022")
    assert hu32["value"].tolist() == [9500.0] and hu32["flag"].tolist() == ["p"] and hu32["level"].tolist() == [2]
    assert loaded["eurostat"]["flags"] == {"e": 1, "p": 1}


def test_load_never_raises_on_a_damaged_cache(tmp_path):
    path = tmp_path / "nama_10r_3gdp.tsv.gz"
    path.write_bytes(b"\x1f\x8b\x08 broken")
    out = eurostat_refresh.load(ingest.Fetch("nama_10r_3gdp", path))
    assert out["unreadable"] and "valid" not in out
    assert eurostat_refresh.load(ingest.Fetch("nama_10r_3gdp", None, error="x")) == {
        "dataset": "nama_10r_3gdp", "fresh": False, "saved_on": "", "error": "x", "unreachable": False}


def _cache(directory, text: str, code: str = "nama_10r_3gdp"):
    path = directory / f"{code}.tsv.gz"
    path.write_bytes(gzip.compress(text.encode()))
    return path


def test_bundled_summary_is_the_catalog_s_part_and_cached_copies_are_read_afresh(tmp_path):
    regions = pd.DataFrame({"dataset": ["nama_10r_3gdp", "nama_10r_3gdp", "other", None],
                            "indicator": ["gdp_mio_eur", "gdp_pps_hab", "x", "y"], "year": [2021, 2022, 2020, 2020],
                            "as_of": ["2024-03-01", "", "2025-01-01", "2025-02-01"]})
    summary = eurostat_refresh.bundled_summary(regions)
    assert summary["dataset"].tolist() == list(eurostat_refresh.DATASETS) and "cached_copy" not in summary
    gdp = summary.set_index("dataset").loc["nama_10r_3gdp"]
    assert (gdp["bundled_rows"], gdp["bundled_years"], gdp["bundled_as_of"]) == (2, "2021–2022", "2024-03-01")
    assert gdp["bundled_indicators"] == "gdp_mio_eur, gdp_pps_hab"
    assert summary.set_index("dataset").loc["demo_r_pjanaggr3", "bundled_rows"] == 0  # nothing bundled: empty cells
    before = eurostat_refresh.with_cached_copies(summary, tmp_path)
    assert (before["cached_copy"] == "").all() and list(before.columns)[-2:] == ["cached_copy", "source_url"]
    _cache(tmp_path, GDP_TSV)  # a refresh wrote a copy: the same summary now shows its date
    after = eurostat_refresh.with_cached_copies(summary, tmp_path).set_index("dataset")["cached_copy"]
    assert after["nama_10r_3gdp"] and (after.drop("nama_10r_3gdp") == "").all()
    pd.testing.assert_frame_equal(eurostat_refresh.bundled(regions, tmp_path), eurostat_refresh.with_cached_copies(
        summary, tmp_path))


# ---------------------------------------------------------------- CLI


def test_cli_fetch_offline_without_cache_exits_2(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WORKFORCE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(urllib.request, "urlopen", fail(urllib.error.URLError("no network")))
    assert main(["import", "eurostat", "--fetch", "nama_10r_3gdp"]) == 2
    assert "Eurostat is unreachable" in capsys.readouterr().err
    assert main(["import", "eurostat", "--fetch", "../x"]) == 2
    assert main(["import", "eurostat"]) == 2


def test_cli_fetch_uses_cache_when_offline_and_writes_out(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WORKFORCE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(urllib.request, "urlopen", fail(urllib.error.URLError("no network")))
    (tmp_path / "eurostat").mkdir()
    _cache(tmp_path / "eurostat", GDP_TSV)
    out = tmp_path / "t.csv"
    assert main(["import", "eurostat", "--fetch", "nama_10r_3gdp", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    assert summary["rows"] == 24 and summary["fetched"].startswith("cached copy of ") and "unreachable" in captured.err
    assert len(pd.read_csv(out)) == 24


def test_cli_fetch_success(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WORKFORCE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(urllib.request, "urlopen", serve(gzip.compress(GDP_TSV.encode())))
    assert main(["import", "eurostat", "--fetch", "nama_10r_3gdp"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["fetched"] == "now" and summary["geo_count"] == 6 and summary["flags"] == {"e": 1, "p": 1}
    assert (tmp_path / "eurostat" / "nama_10r_3gdp.tsv.gz").exists()


# ---------------------------------------------------------------- /sources (AppTest)


def _sources() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/sources.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_sources_button_offline_shows_banner_and_no_request_on_load(tmp_path, monkeypatch):
    calls: list = []
    monkeypatch.setenv("WORKFORCE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(urllib.request, "urlopen", fail(urllib.error.URLError("no network"), calls))
    at = _sources()
    assert calls == [], "no request during a normal page render"
    listed = next(df.value for df in at.dataframe if "bundled_as_of" in df.value.columns)
    assert listed["dataset"].tolist() == list(eurostat_refresh.DATASETS)

    at.button(key="eu_fetch").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert len(calls) == 1
    banners = [w.value for w in at.warning]
    as_of = eurostat_refresh.bundled_as_of(pd.read_csv(DATA_DIR / "regions.csv", dtype=str, keep_default_na=False))
    assert as_of  # nama_10r_3empers carries its LAST UPDATE
    assert any(f"Eurostat is unreachable — showing the bundled data (as of {as_of})" in b for b in banners), banners
    assert "uploads" not in at.session_state

    at.run()  # the banner stays on a rerun, without a new request
    assert len(calls) == 1 and any("Eurostat is unreachable" in w.value for w in at.warning)


def test_sources_button_offline_with_cache_uses_it_for_the_session(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKFORCE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(urllib.request, "urlopen", fail(TimeoutError("timed out")))
    (tmp_path / "eurostat").mkdir()
    _cache(tmp_path / "eurostat", GDP_TSV)
    at = _sources()
    at.button(key="eu_fetch").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("using the copies downloaded earlier" in w.value for w in at.warning)
    assert any("nama_10r_3gdp: using the copy downloaded on" in i.value for i in at.info)
    regions = at.session_state["uploads"]["regions"]
    assert set(regions["nuts_id"]) == {"HU", "HU32"} and len(regions) == 7
    summary = next(df.value for df in at.dataframe if "geo_count" in df.value.columns)
    assert summary[["rows", "geo_count", "rejected"]].values.tolist() == [[24, 6, 3]]
    assert "Download rejected rows (CSV)" in [b.label for b in at.get("download_button")]
    # the refresh says what it updated (the cached copy reaches 2023, the bundled GDP 2022)
    assert any("nama_10r_3gdp: 7 rows updated for this session (gdp_mio_eur, gdp_pps_hab; newest year 2023)"
               in m.value for m in at.success), [m.value for m in at.success]

    at.button(key="up_clear").click().run()
    assert "uploads" not in at.session_state and "eu_last" not in at.session_state


# ---------------------------------------------------------------- what a refresh updated; coverage on /sources


def test_updates_say_what_was_refreshed(tmp_path):
    regions = pd.read_csv(DATA_DIR / "regions.csv", dtype=str, keep_default_na=False)
    loaded = eurostat_refresh.load(ingest.Fetch("nama_10r_3gdp", _cache(tmp_path, GDP_TSV), fresh=True))
    (u,) = eurostat_refresh.updates([loaded, {"dataset": "x", "valid": None}], regions)
    assert u["dataset"] == "nama_10r_3gdp" and u["rows"] == len(loaded["valid"]) == 7
    assert u["indicators"] == "gdp_mio_eur, gdp_pps_hab" and u["newest_year"] == 2023 and u["bundled_year"] == 2022
    assert u["newer"]


def test_refreshable_datasets_cover_the_new_indicators():
    names = {i.name for _, inds in eurostat_refresh.DATASETS.values() for i in inds}
    assert {"population", "persons_employed_c27", "persons_employed_c29", "employment_ed3_4"} <= names


def test_sources_lists_each_indicator_newest_year_and_coverage():
    at = _sources()
    cov = next(df.value for df in at.dataframe if "newest_year" in df.value.columns).set_index("indicator")
    assert cov.loc["population", "newest_year"] == 2025 and cov.loc["population", "age"] == ""
    assert cov.loc["employment_industry", "newest_year"] == 2015 and cov.loc["employment_industry", "age"] == "old data"
    assert cov.loc["persons_employed_c27", "nuts2_newest"] > 100 and cov.loc["population", "countries_newest"] >= 27


def test_cli_fetch_jsonstat_goes_through_the_same_reader(tmp_path, monkeypatch, capsys):
    doc = {"class": "dataset", "id": ["unit", "geo", "time"], "size": [1, 2, 2], "updated": "2025-06-01",
           "dimension": {"unit": {"category": {"index": {"MIO_EUR": 0}}},
                         "geo": {"category": {"index": {"HU32": 0, "HU31": 1}}},
                         "time": {"category": {"index": {"2022": 0, "2023": 1}}}},
           "value": {"0": 9500, "1": 9900.5, "3": 7000}, "status": {"1": "p", "2": ":", "3": "@N"}}
    calls: list = []
    monkeypatch.setenv("WORKFORCE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(urllib.request, "urlopen", serve(json.dumps(doc).encode(), calls))
    assert main(["import", "eurostat", "--fetch", "nama_10r_3gdp", "--format", "json"]) == 0
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    assert "statistics/1.0/data/nama_10r_3gdp" in calls[0][0] and "format=JSON" in calls[0][0]
    assert summary["layout"] == "jsonstat" and summary["values"] == 3 and summary["missing"] == 1
    assert summary["unknown_flags"] == {"@N": 1} and summary["last_update"] == "2025-06-01"
    assert "unknown flag '@N'" in captured.err
    df = ingest.read_eurostat(tmp_path / "eurostat" / "nama_10r_3gdp.tsv.gz")
    assert df.attrs["layout"] == "jsonstat" and len(df) == 4
