"""Property tests over hostile input (issue 22): parameters, uploads, SQL and the CLI.

For any input: no exception escapes (only the module's own refusal type, with a plain message), every parsed
value lies in its closed list or range, and the serving process's memory stays bounded."""

from __future__ import annotations

import resource

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workforce import db, params, upload

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KEYS = ("country", "level", "year", "lang", "scenario", "region", "metric", "by", "cmp", "key")
text = st.text(max_size=200)


@FAST
@given(st.dictionaries(st.sampled_from(KEYS), st.one_of(text, st.lists(text, max_size=3)), max_size=len(KEYS)))
def test_any_query_params_parse_to_closed_values(raw):
    f, warnings = params.parse(raw, countries={"HU", "FI", "DE"})
    assert f.lang in params.LANGS and f.scenario in params.SCENARIOS
    assert f.year in params.YEARS and f.level in params.LEVELS
    assert f.country in (None, "HU", "FI", "DE")
    assert f.region is None or (f.region.isalnum() and len(f.region) <= 5)
    assert all(isinstance(w, str) and w for w in warnings)


@FAST
@given(st.binary(max_size=4096), st.sampled_from(["x.csv", "x.tsv", "x.xlsx", "x.txt", "x"]))
def test_any_bytes_upload_is_read_or_refused_plainly(data, name):
    try:
        df = upload.read_table_file(data, name)
    except upload.UploadError as exc:
        assert str(exc) and "Traceback" not in str(exc)
        return
    for table in upload.UPLOAD_KINDS:
        valid, rejected, messages = upload.validate(df, table)
        assert len(valid) + len(rejected) == len(df)  # nothing silently lost


csv_cell = st.one_of(st.sampled_from(["inf", "-inf", "nan", "1e999", "=1+1", "@x", "HU32", "FI1D", "", "2030",
                                      "1,5", "1.000,5", "ÿ", "\u202e", "9" * 40]), st.text(max_size=20))


@FAST
@given(st.lists(st.lists(csv_cell, min_size=4, max_size=4), min_size=1, max_size=30))
def test_any_regions_rows_are_valid_or_rejected_with_reasons(rows):
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["nuts_id", "indicator", "year", "value"])
    writer.writerows(rows)
    try:
        df = upload.read_table_file(buf.getvalue().encode("utf-8"), "r.csv")
    except upload.UploadError:
        return
    valid, rejected, _ = upload.validate(df, "regions")
    assert len(valid) + len(rejected) == len(df)
    assert rejected.empty or rejected["reason"].str.len().gt(0).all()
    if len(valid):
        import numpy as np

        assert np.isfinite(valid["value"].dropna().astype(float)).all()


sql_words = st.sampled_from(["select", "from", "plants", "with", "x", "as", "(", ")", "delete", "insert", "copy",
                             "read_csv('/etc/passwd')", "repeat('x', 1000000000)", "range(10)", "*", ",", "1", "'a'",
                             "union", "all", "where", "pragma", "attach", ";", "--", "/*", "*/", "json_serialize_plan",
                             "current_setting('threads')", "[", "]", "::date", "'infinity'", "lateral"])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.lists(sql_words, max_size=25).map(" ".join), text))
def test_sql_checker_refuses_plainly(sql):
    try:
        db.check_user_sql(sql)
    except db.SandboxError as exc:
        assert str(exc) and "Traceback" not in str(exc) and "/root" not in str(exc)


@settings(max_examples=25, deadline=None)
@given(st.lists(sql_words, min_size=1, max_size=12).map(" ".join))
def test_cli_sql_exits_0_or_2_and_memory_stays_bounded(sql):
    from workforce.cli import main

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    code = main(["sql", sql, "--timeout", "2"])
    assert code in (0, 2)
    assert (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024 < 200  # MB


@pytest.mark.parametrize("name, data", [
    ("binary.csv", b"\x00\x01\x02" * 100),
    ("bomb.tsv.gz", b"\x1f\x8b" + b"\x00" * 50),
    ("empty.xlsx", b"PK\x03\x04"),
])
def test_cli_import_refuses_files_with_exit_2(tmp_path, capsys, name, data):
    from workforce.cli import main

    path = tmp_path / name
    path.write_bytes(data)
    for argv in (["import", "eurostat", str(path)], ["import", "plants", str(path)]):
        code = main(argv)
        err = capsys.readouterr().err
        assert code == 2 and "Traceback" not in err and err.strip(), (argv, err)
