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
        (OLD_TSV + "THS,A,AT3\t1 \t2 \t3 \n", 5, "comma-separated keys"),
        (SDMX_CSV + "ESTAT:NAMA_10R_3EMPERS(1.0),21/02/23,A,THS,EMP,TOTAL,AT113,2021\r\n", 5, "cells"),
        ("hello,world\n1,2\n", 1, "unrecognised header"),
    ],
)
def test_malformed_names_line(text, line, words):
    with pytest.raises(IngestError) as ei:
        read_eurostat(text.encode())
    assert ei.value.line == line and f"line {line}" in str(ei.value) and words in str(ei.value)


# A malformed CELL is a warning naming its line and column (value missing), never a refusal of the file.
@pytest.mark.parametrize(
    ("text", "line", "column", "cell"),
    [
        (OLD_TSV.replace("16.8 ", "16,8 "), 2, 3, "16,8"),
        (NEW_TSV.replace("0.25 ", "n/a"), 3, 4, "n/a"),
        (SDMX_CSV.replace("13.1,p", "13.1x,p"), 3, 9, "13.1x"),
    ],
)
def test_malformed_cell_is_a_warning_with_line_and_column(text, line, column, cell):
    df = read_eurostat(text.encode(), dataset="x")
    s = summarise(df)
    assert s["malformed_cells"] == 1 and s["warnings"] == 1
    (w,) = s["warning_list"]
    assert (w["kind"], w["line"], w["column"], w["cell"].strip()) == ("malformed_cell", line, column, cell)
    assert f"line {line}, column {column}" in w["message"]
    assert s["values"] == int(df.value.notna().sum())
    assert len(df) == len(read_eurostat(text.replace(cell, "1", 1).encode(), dataset="x"))


def test_unknown_flags_kept_verbatim_and_counted_as_warnings():
    text = OLD_TSV.replace("13.1 b", "13.1 @N").replace(": bu", ": BX*").replace("16.8 ", "16.8 pe")
    df = read_eurostat(text, dataset="x")
    s = summarise(df)
    assert df.loc[df.geo == "AT"].set_index("time").loc["2008", "flag"] == "@N"
    assert df.loc[df.geo == "AT11"].set_index("time").loc["2008", "flag"] == "BX*"
    assert s["unknown_flags"] == {"@N": 1, "BX*": 1} and s["warnings"] == 2 and s["malformed_cells"] == 0
    assert s["flag_meanings"]["pe"] == "provisional; estimated"
    assert s["flag_meanings"]["bc"] == "break in time series; confidential"
    assert s["values"] == 3 and s["missing"] == 6


def test_every_known_flag_is_explained():
    from workforce.ingest import FLAGS, explain_flag

    assert set(FLAGS) == set("bcdefnprsuz")
    assert explain_flag("bcdefnprsuz")[1] == "" and len(explain_flag("bcdefnprsuz")[0]) == 11
    assert explain_flag("b@") == (["break in time series"], "@")


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        (b"\x00\x01\x02binary" * 10, "not a text file"),
        ("h\u00e9llo".encode("latin-1") + b"\tx\n", "not UTF-8"),
        (b"", "empty"),
        (b"unit,geo\t2020 \nTHS,AT\t1 \n", "geo\\time"),
        (b'{"class": "dataset"}', "JSON-stat"),
        (b"\x1f\x8b\x08 truncated", "decompress"),
    ],
)
def test_malformed_file_refused(payload, words):
    with pytest.raises(IngestError) as ei:
        read_eurostat(payload, dataset="x")
    assert words in str(ei.value)


def test_limits_refuse_before_parsing(tmp_path):
    from workforce.ingest import Limits

    big = OLD_TSV + "".join(f"THS,A,Y15-24,AT{i}\t1 \t2 \t3 \n" for i in range(50))
    with pytest.raises(IngestError, match="lines"):
        read_eurostat(gzip.compress(big.encode()), limits=Limits(max_lines=20))
    with pytest.raises(IngestError, match="decompressed"):
        read_eurostat(gzip.compress(big.encode()), limits=Limits(max_bytes=500))
    with pytest.raises(IngestError, match="cells"):
        read_eurostat(big, limits=Limits(max_cells=30))
    with pytest.raises(IngestError, match="longer than"):
        read_eurostat(gzip.compress(OLD_TSV.replace("14.3 ", "1" * 5000 + " ").encode()), limits=Limits(max_line=1000))
    p = tmp_path / "x.tsv.gz"
    p.write_bytes(gzip.compress(big.encode()))
    with pytest.raises(IngestError, match="larger than"):
        read_eurostat(p, limits=Limits(max_input=100))


def test_jsonstat_goes_through_the_same_cells():
    import json

    doc = {
        "version": "2.0", "class": "dataset", "updated": "2025-03-14T23:00:00+0100",
        "extension": {"datasetId": "NAMA_10R_3GDP"},
        "id": ["freq", "unit", "geo", "time"], "size": [1, 1, 3, 2],
        "dimension": {
            "freq": {"category": {"index": {"A": 0}}},
            "unit": {"category": {"index": {"MIO_EUR": 0}}},
            "geo": {"category": {"index": {"HU32": 0, "EU27_2020": 1, "FRZZ": 2}}},
            "time": {"category": {"index": {"2022": 0, "2023": 1}}},
        },
        "value": {"0": 9500.5, "1": 9900, "2": 1.5e7, "4": 0},
        "status": {"1": "p", "3": "c", "4": "@N", "5": ":"},
    }
    df = read_eurostat(json.dumps(doc))
    assert df.attrs["layout"] == "jsonstat" and df.attrs["dataset"] == "nama_10r_3gdp"
    assert df.attrs["last_update"] == "2025-03-14"
    assert list(df.columns) == ["dataset", "geo", "time", "year", "freq", "unit", "value", "flag"]
    assert df.value.tolist()[:3] == [9500.5, 9900.0, 1.5e7] and np.isnan(df.value.iloc[3])
    assert df.flag.tolist() == ["", "p", "", "c", "@N", ""]
    s = summarise(df)
    assert s["values"] == 4 and s["missing"] == 2 and s["unknown_flags"] == {"@N": 1}


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


# ---------------------------------------------------------------- property tests (hypothesis)
from collections import Counter  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

KNOWN = "bcdefnprsuz"
GEOS = ["AT", "AT11", "AT111", "EL30", "HU32", "FRZZ", "ATZZZ", "EU27_2020", "EU28", "EA19", "DE", "TR"]
_number = st.one_of(
    st.builds(lambda i, d: f"{i / 10 ** d:.{d}f}", st.integers(-10**8, 10**8), st.integers(0, 3)),
    st.builds(lambda i, e: f"{i}e{e}", st.integers(-999, 999), st.integers(-3, 3)),
)
_flag = st.one_of(
    st.just(""),
    st.text(alphabet=KNOWN, min_size=1, max_size=3),
    st.sampled_from(["@N", "B", "*", "ep*", "X", "i", "(e)", "Bp", "#"]),
)
_cell = st.tuples(st.one_of(_number, st.just(":")), _flag)


@st.composite
def eurostat_table(draw):
    extra = draw(st.lists(st.sampled_from(["unit", "nace_r2", "age", "sex"]), min_size=1, max_size=2, unique=True))
    codes = {d: draw(st.lists(st.sampled_from(["THS", "B-E", "C27", "Y_GE15", "T", "PC"]), min_size=1, max_size=2,
                              unique=True)) for d in extra}
    geos = draw(st.lists(st.sampled_from(GEOS), min_size=1, max_size=4, unique=True))
    years = draw(st.lists(st.integers(1995, 2025), min_size=1, max_size=4, unique=True))
    keys = [dict(zip(extra, combo, strict=True), geo=g)
            for combo in __import__("itertools").product(*codes.values()) for g in geos]
    cells = {(i, y): draw(_cell) for i in range(len(keys)) for y in years}
    return extra, codes, geos, years, keys, cells


def _render(layout, table):
    extra, codes, geos, years, keys, cells = table
    if layout in ("tsv_bulk_old", "tsv_current"):
        ys = sorted(years, reverse=layout == "tsv_bulk_old")
        dims = extra if layout == "tsv_bulk_old" else ["freq", *extra]
        corner = "geo\\time" if layout == "tsv_bulk_old" else "geo\\TIME_PERIOD"
        out = [",".join([*dims, corner]) + "\t" + "\t".join(f"{y} " for y in ys)]
        for i, k in enumerate(keys):
            key = ",".join(([] if layout == "tsv_bulk_old" else ["A"]) + [k[d] for d in extra] + [k["geo"]])
            out.append(key + "\t" + "\t".join(f"{v} {f}" for v, f in (cells[(i, y)] for y in ys)))
        return "\n".join(out) + "\n"
    if layout == "sdmx_csv":
        out = [",".join(["DATAFLOW", "LAST UPDATE", "freq", *extra, "geo", "TIME_PERIOD", "OBS_VALUE", "OBS_FLAG"])]
        for (i, y), (v, f) in cells.items():
            k = keys[i]
            out.append(",".join(["ESTAT:X_Y(1.0)", "01/02/24 23:00:00", "A", *[k[d] for d in extra], k["geo"], str(y),
                                 "" if v == ":" and y % 2 else v, f]))
        return "\r\n".join(out) + "\r\n"
    ids = [*extra, "geo", "time"]
    sizes = [len(codes[d]) for d in extra] + [len(geos), len(years)]
    dim = {d: {"category": {"index": codes[d]}} for d in extra}
    dim["geo"] = {"category": {"index": {g: j for j, g in enumerate(geos)}}}
    dim["time"] = {"category": {"index": [str(y) for y in years]}}
    value, status = {}, {}
    import json

    ordered = sorted(cells.items(), key=lambda kv: (kv[0][0], years.index(kv[0][1])))  # row-major, time last
    for pos, (_key, (v, f)) in enumerate(ordered):
        if v != ":":  # JSON numbers as ints/decimals and as floats
            value[str(pos)] = float(v) if (pos % 2 or "e" in v) else json.loads(v)
        if f:
            status[str(pos)] = f
    return json.dumps({"class": "dataset", "id": ids, "size": sizes, "dimension": dim, "value": value,
                       "status": status, "extension": {"datasetId": "X_Y"}})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=eurostat_table(), layout=st.sampled_from(["tsv_bulk_old", "tsv_current", "sdmx_csv", "jsonstat"]),
       gz=st.booleans())
def test_property_every_cell_read_exactly(table, layout, gz):
    extra, codes, geos, years, keys, cells = table
    text = _render(layout, table)
    df = read_eurostat(gzip.compress(text.encode()) if gz else text.encode(), dataset="x_y")
    assert df.attrs["layout"] == layout
    assert len(df) == len(cells)
    got = {(tuple(r[d] for d in extra), r["geo"], int(r["time"])): (r["value"], r["flag"])
           for r in df.to_dict("records")}
    for (i, y), (v, f) in cells.items():
        k = keys[i]
        value, flag = got[(tuple(k[d] for d in extra), k["geo"], y)]
        if v == ":":
            assert np.isnan(value)
        else:
            assert value == float(v)
        assert flag == f
    s = summarise(df)
    numeric = sum(v != ":" for v, _ in cells.values())
    assert s["values"] == numeric and s["missing"] == len(cells) - numeric and s["malformed_cells"] == 0
    unknown = Counter(f for _, f in cells.values() if f and set(f) - set(KNOWN))
    assert s["unknown_flags"] == dict(unknown) and s["warnings"] == len(unknown)
    assert s["flags"] == dict(Counter(f for _, f in cells.values() if f))
    assert {"EU27_2020", "EA19", "EU28"} & set(geos) <= set(df.geo)  # aggregates are read, not dropped


@settings(max_examples=30, deadline=None)
@given(table=eurostat_table(), layout=st.sampled_from(["tsv_bulk_old", "tsv_current", "sdmx_csv"]),
       junk=st.sampled_from(["abc", "1,5", "--", "n/a", "1.2.3", "x 1"]), data=st.data())
def test_property_a_malformed_cell_is_one_warning_at_its_line_and_column(table, layout, junk, data):
    extra, codes, geos, years, keys, cells = table
    pos = data.draw(st.sampled_from(sorted(cells)))
    cells = {**cells, pos: (junk, "")}
    if layout == "sdmx_csv" and "," in junk:
        junk = junk.replace(",", ";")  # an unquoted comma would make the ROW malformed (wrong layout)
        cells = {**cells, pos: (junk, "")}
    text = _render(layout, (extra, codes, geos, years, keys, cells))
    df = read_eurostat(text, dataset="x_y")
    s = summarise(df)
    assert s["malformed_cells"] == 1 and len(df) == len(cells)
    w = next(w for w in s["warning_list"] if w["kind"] == "malformed_cell")
    lines = text.replace("\r\n", "\n").split("\n")
    sep = "\t" if layout != "sdmx_csv" else ","
    assert lines[w["line"] - 1].split(sep)[w["column"] - 1].strip() == junk and w["period"] == str(pos[1])
    assert s["values"] == sum(v not in (":", junk) for v, _ in cells.values())


@pytest.mark.parametrize("name", ["lfst_r_lfe2en2_bulk_old.tsv", "nama_10r_3gdp_estat_new.tsv",
                                  "demo_r_pjanaggr3_estat_new.tsv", "educ_uoe_grad02_bulk_old.tsv",
                                  "lfst_r_lfe2eedu_bulk_old.tsv", "sbs_r_nuts06_r2_bulk_old.tsv.gz"])
def test_real_files_value_count_equals_numeric_cells(name):
    import re as _re

    path = EUROSTAT / name
    _need(path)
    raw = gzip.decompress(path.read_bytes()) if name.endswith(".gz") else path.read_bytes()
    numeric = flagged_unknown = 0
    for line in raw.decode("utf-8-sig").splitlines()[1:]:
        for cell in line.split("\t")[1:]:
            numeric += bool(_re.match(r"\s*-?[0-9.]+(\s|$)", cell))
            flag = cell.strip().partition(" ")[2]
            flagged_unknown += bool(flag and set(flag) - set(KNOWN))
    df = read_eurostat(path)
    s = summarise(df)
    assert s["values"] == numeric and s["malformed_cells"] == 0
    assert sum(s["unknown_flags"].values()) == flagged_unknown
    if name.startswith("demo_r_pjanaggr3"):
        assert s["unknown_flags"] == {"@N": 42}  # the unusual flag form: kept, warned, file still read
    if name.startswith("sbs_"):
        assert s["unknown_flags"] == {"ci": 247, "i": 1813} and s["flags"]["c"] == 93421
