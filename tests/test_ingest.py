"""workforce.ingest: the three Eurostat layouts (real files when present + inline fixtures)."""

import gzip
import io
import time
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import missing
from workforce.ingest import IngestError, dataset_from_name, fetch_eurostat_api, read_eurostat, summarise

EUROSTAT = Path(__file__).resolve().parent.parent.parent / "shared" / "eurostat"
OLD = EUROSTAT / "lfst_r_lfe2en2_bulk_old.tsv"
SDMX = EUROSTAT / "nama_10r_3empers_sdmx_csv.csv"
NEW = EUROSTAT / "nama_10r_3gdp_estat_new.tsv"

OLD_TSV = (
    "unit,nace_r2,age,geo\\time\t2015 \t2014 \t2008 \n"
    "THS,A,Y15-24,AT\t14.3 \t16.8 \t13.1 b\n"
    "THS,A,Y15-24,AT11\t: u\t: u\t: bu\n"
    "THS,A,Y15-24,AT13\t: u\t: c\t: bc\n"
)
NEW_TSV = (
    "freq,unit,geo\\TIME_PERIOD\t2020 \t2021 \t2022 \n"
    "A,MIO_EUR,AL\t: \t5400 p\t: \n"
    "A,MIO_EUR,EL30\t1.5e2 \t-3 e\t0.25 \n"
)
SDMX_CSV = (
    "DATAFLOW,LAST UPDATE,freq,unit,wstatus,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\r\n"
    "ESTAT:NAMA_10R_3EMPERS(1.0),21/02/23 23:00:00,A,THS,EMP,TOTAL,AT111,2000,12.7,\r\n"
    "ESTAT:NAMA_10R_3EMPERS(1.0),21/02/23 23:00:00,A,THS,EMP,TOTAL,AT111,2021,13.1,p\r\n"
    "ESTAT:NAMA_10R_3EMPERS(1.0),21/02/23 23:00:00,A,THS,EMP,TOTAL,AT112,2021,:,c\r\n"
)


def _need(path):
    if not path.exists():
        missing(f"real Eurostat extract not present: {path} (see /work/shared/eurostat/README.md)")


# ---------------------------------------------------------------- inline fixtures (always run)
def test_old_bulk_tsv_flags_and_missing():
    df = read_eurostat(OLD_TSV.encode(), dataset="lfst_r_lfe2en2")
    assert df.attrs["layout"] == "tsv_bulk_old"
    assert list(df.columns) == ["dataset", "geo", "time", "year", "unit", "nace_r2", "age", "value", "flag"]
    assert len(df) == 9 and (df.dataset == "lfst_r_lfe2en2").all()
    at = df[df.geo == "AT"].set_index("time")
    assert at.loc["2015", "value"] == 14.3 and at.loc["2015", "flag"] == ""
    assert at.loc["2008", "value"] == 13.1 and at.loc["2008", "flag"] == "b"
    at13 = df[df.geo == "AT13"].set_index("time")
    assert np.isnan(at13.loc["2008", "value"]) and at13.loc["2008", "flag"] == "bc"
    assert at13.loc["2014", "flag"] == "c"
    assert df.year.dtype.name == "Int64" and df.year.min() == 2008
    s = summarise(df)
    assert s["rows"] == 9 and s["geo_count"] == 3 and s["missing"] == 6
    assert s["time_min"] == "2008" and s["time_max"] == "2015"
    assert s["flags"] == {"b": 1, "bc": 1, "bu": 1, "c": 1, "u": 3}


def test_current_tsv():
    df = read_eurostat(io.BytesIO(NEW_TSV.encode()), dataset="nama_10r_3gdp")
    assert df.attrs["layout"] == "tsv_current"
    assert list(df.columns) == ["dataset", "geo", "time", "year", "freq", "unit", "value", "flag"]
    al = df[df.geo == "AL"].set_index("time")
    assert al.loc["2021", "value"] == 5400 and al.loc["2021", "flag"] == "p"
    el = df[df.geo == "EL30"].set_index("time")
    assert el.loc["2020", "value"] == 150.0 and el.loc["2021", "value"] == -3 and el.loc["2021", "flag"] == "e"


def test_sdmx_csv_crlf_dataflow_and_last_update():
    df = read_eurostat(SDMX_CSV)
    assert df.attrs["layout"] == "sdmx_csv" and df.attrs["last_update"] == "2023-02-21"
    assert (df.dataset == "nama_10r_3empers").all()
    assert list(df.columns) == ["dataset", "geo", "time", "year", "freq", "unit", "wstatus", "nace_r2", "value", "flag"]
    assert df.flag.tolist() == ["", "p", "c"]
    assert df.value.iloc[1] == 13.1 and np.isnan(df.value.iloc[2])
    assert not df.geo.str.contains("\r").any() and not df.flag.str.contains("\r").any()


def test_bom_and_gzip(tmp_path):
    bom = read_eurostat(("\ufeff" + OLD_TSV).encode("utf-8"), dataset="x")
    assert bom.columns[4] == "unit" and len(bom) == 9
    p = tmp_path / "estat_nama_10r_3gdp.tsv.gz"
    p.write_bytes(gzip.compress(("\ufeff" + NEW_TSV.replace("\n", "\r\n")).encode()))
    df = read_eurostat(p)
    assert (df.dataset == "nama_10r_3gdp").all() and len(df) == 6
    sd = read_eurostat(gzip.compress(("\ufeff" + SDMX_CSV).encode()))
    assert len(sd) == 3


def test_monthly_and_quarterly_time():
    text = "freq,unit,geo\\TIME_PERIOD\t2020-Q1 \t2020-Q2 \t2021M03 \nQ,THS,AT\t1 \t2 \t3 \n"
    df = read_eurostat(text, dataset="x")
    assert df.time.tolist() == ["2020-Q1", "2020-Q2", "2021M03"] and df.year.tolist() == [2020, 2020, 2021]


def test_dataset_names():
    assert dataset_from_name("lfst_r_lfe2en2_bulk_old.tsv") == "lfst_r_lfe2en2"
    assert dataset_from_name("estat_nama_10r_3gdp.tsv.gz") == "nama_10r_3gdp"
    df = read_eurostat(NEW_TSV, dataset="given")
    assert (df.dataset == "given").all()


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (OLD_TSV + "THS,A,Y15-24,AT2\t1 \t2 \n", 5, "tab-separated"),
        (OLD_TSV.replace("16.8 ", "16,8 "), 2, "neither a number"),
        (OLD_TSV + "THS,A,AT3\t1 \t2 \t3 \n", 5, "comma-separated keys"),
        (NEW_TSV.replace("0.25 ", "n/a"), 3, "neither a number"),
        (SDMX_CSV + "ESTAT:NAMA_10R_3EMPERS(1.0),21/02/23,A,THS,EMP,TOTAL,AT113,2021\r\n", 5, "cells"),
        (SDMX_CSV.replace("13.1,p", "13.1x,p"), 3, "OBS_VALUE"),
        ("hello,world\n1,2\n", 1, "unrecognised header"),
    ],
)
def test_malformed_names_line(text, line, words):
    with pytest.raises(IngestError) as ei:
        read_eurostat(text.encode())
    assert ei.value.line == line and f"line {line}" in str(ei.value) and words in str(ei.value)


def test_fetch_eurostat_api_mocked(tmp_path):
    class Resp(io.BytesIO):
        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False

    def offline(url, timeout):
        raise OSError("no network")

    assert fetch_eurostat_api("nama_10r_3gdp", tmp_path, opener=offline) is None
    p = fetch_eurostat_api("nama_10r_3gdp", tmp_path, opener=lambda url, timeout: Resp(gzip.compress(NEW_TSV.encode())))
    assert p is not None and len(read_eurostat(p)) == 6
    assert fetch_eurostat_api("nama_10r_3gdp", tmp_path, opener=offline) == p


# ---------------------------------------------------------------- real files
def test_real_old_bulk_tsv():
    _need(OLD)
    t = time.perf_counter()
    df = read_eurostat(OLD)
    assert time.perf_counter() - t < 10
    s = summarise(df)
    assert df.attrs["layout"] == "tsv_bulk_old" and (df.dataset == "lfst_r_lfe2en2").all()
    assert s["time_min"] == "2008" and s["time_max"] == "2015" and s["geo_count"] == 491
    assert {"b", "u", "bu", "c", "bc"} <= set(s["flags"])
    assert set(df.age.unique()) == {"Y15-24", "Y15-64", "Y25-64", "Y65-74", "Y_GE15"}
    row = df[(df.geo == "AT") & (df.nace_r2 == "A") & (df.age == "Y15-24") & (df.time == "2008")].iloc[0]
    assert row.value == 13.1 and row.flag == "b"


def test_real_sdmx_csv():
    _need(SDMX)
    df = read_eurostat(SDMX)
    s = summarise(df)
    assert (df.dataset == "nama_10r_3empers").all() and df.attrs["last_update"] == "2023-02-21"
    assert s["rows"] == 24634 and s["time_min"] == "1995" and s["time_max"] == "2021"
    assert s["flags"] == {"b": 58, "e": 8, "p": 1644}
    assert df[(df.geo == "AT111") & (df.time == "2000")].value.iloc[0] == 12.7


def test_real_current_tsv():
    _need(NEW)
    df = read_eurostat(NEW)
    s = summarise(df)
    assert df.attrs["layout"] == "tsv_current" and (df.dataset == "nama_10r_3gdp").all()
    assert s["time_min"] == "2000" and s["time_max"] == "2022" and s["missing"] > 0
    assert df.unit.nunique() == 7 and "EU27_2020" in set(df.geo)
    al = df[(df.geo == "AL") & (df.unit == "EUR_HAB") & (df.time == "2021")].iloc[0]
    assert al.value == 5400 and al.flag == "p"
