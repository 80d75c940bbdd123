"""The living network's memory: contributions, reviews and needs-assessment rounds (issue 20).

SQLAlchemy Core over a real database, schema by Alembic (`migrations/`): a SQLite file under `.data/` by
default (WAL), PostgreSQL via `WORKFORCE_STORE_URL` in production, multi-replica and CI. DuckDB stays the
analytics engine: it reads the *approved* contributions (`approved()`), never this database directly.

Everything is an append-only event. A submission is inserted once (idempotent by its client key, so a retry
after an outage never duplicates it); a reviewer's decision — approve, reject (with a reason), ask for a
change, or revert an approved item — is a new row in `decisions`. Nothing is updated or deleted; the state of a
submission is its latest decision. A reviewer cannot decide on their own submission.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from workforce import ROOT, STORE_PATH, store_configured

DEFAULT_PATH = STORE_PATH
KINDS = ("plant_event", "programme", "partnership", "needs_response")
ROLES = ("contributor", "reviewer", "admin")
DECISIONS = ("approve", "reject", "request_change", "revert")
MAX_PAYLOAD_BYTES = 20_000
MAX_TEXT = 2_000
RATE_LIMIT = (20, dt.timedelta(hours=1))  # submissions per user per window
DISCLOSURE_MIN = 3  # needs-assessment cells from fewer respondents are suppressed

metadata = sa.MetaData()
users = sa.Table(
    "users", metadata,
    sa.Column("subject", sa.String(200), primary_key=True),  # OIDC `sub` (or e-mail when the provider has none)
    sa.Column("email", sa.String(320)),
    sa.Column("name", sa.String(200)),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("granted_by", sa.String(200)),
    sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
)
submissions = sa.Table(
    "submissions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("client_key", sa.String(64), nullable=False, unique=True),  # idempotency: a retry is the same row
    sa.Column("kind", sa.String(30), nullable=False),
    sa.Column("payload", sa.Text, nullable=False),  # JSON object, validated per kind
    sa.Column("region", sa.String(10)),
    sa.Column("source_url", sa.String(2000)),
    sa.Column("source_title", sa.String(500)),
    sa.Column("submitted_by", sa.String(200), nullable=False),
    sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("round_id", sa.Integer),
)
decisions = sa.Table(
    "decisions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id"), nullable=False),
    sa.Column("decision", sa.String(20), nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("decided_by", sa.String(200), nullable=False),
    sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
)
rounds = sa.Table(
    "assessment_rounds", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("region", sa.String(10), nullable=False),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("opens_on", sa.Date, nullable=False),
    sa.Column("closes_on", sa.Date, nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
TABLES = (users, submissions, decisions, rounds)


class StoreError(ValueError):
    """A refused action, with a message for the person who tried it."""


class StoreUnavailable(RuntimeError):
    """The database cannot be reached: nothing was written; the person is told and may retry."""


@dataclass(frozen=True)
class User:
    subject: str
    role: str | None  # None: signed in but not (yet) granted a role
    email: str | None = None
    name: str | None = None


def configured() -> bool:
    """A store exists to read: WORKFORCE_STORE_URL is set, or the embedded SQLite file was created."""
    return store_configured()


def url_from_env() -> str:
    return os.environ.get("WORKFORCE_STORE_URL") or f"sqlite:///{DEFAULT_PATH}"


def engine(url: str | None = None) -> sa.Engine:
    """An engine for `url` (default: WORKFORCE_STORE_URL or the embedded SQLite file, WAL)."""
    url = url or url_from_env()
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    eng = sa.create_engine(url, pool_pre_ping=True, future=True)
    if eng.dialect.name == "sqlite":
        @sa.event.listens_for(eng, "connect")
        def _sqlite_pragmas(dbapi_con, _):  # noqa: ANN001 - DB-API connection
            cur = dbapi_con.cursor()
            cur.execute("pragma journal_mode=wal")
            cur.execute("pragma foreign_keys=on")
            cur.execute("pragma busy_timeout=5000")
            cur.close()
    return eng


def _alembic_config(url: str):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Bring the schema to `revision` with Alembic (creates the SQLite file if needed)."""
    from alembic import command

    url = url or url_from_env()
    engine(url).dispose()  # creates the .data directory for SQLite
    command.upgrade(_alembic_config(url), revision)


def downgrade(url: str | None = None, revision: str = "base") -> None:
    from alembic import command

    command.downgrade(_alembic_config(url or url_from_env()), revision)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _guard(fn):
    """Database outages become StoreUnavailable (plain message); the transaction is rolled back."""
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except sa.exc.OperationalError as exc:
            raise StoreUnavailable("The contributions database cannot be reached right now; nothing was saved. "
                                   "Please try again in a minute.") from exc
    wrapper.__name__, wrapper.__doc__ = fn.__name__, fn.__doc__
    return wrapper


# ---------------------------------------------------------------- users and roles

@_guard
def user(eng: sa.Engine, subject: str, email: str | None = None, name: str | None = None) -> User:
    """The signed-in person with their role from the store (None when no role was granted)."""
    with eng.connect() as con:
        row = con.execute(sa.select(users).where(users.c.subject == str(subject))).mappings().first()
    if row is None:
        return User(str(subject), None, email, name)
    return User(row["subject"], row["role"], row["email"] or email, row["name"] or name)


@_guard
def grant(eng: sa.Engine, subject: str, role: str, granted_by: str = "cli", email: str | None = None,
          name: str | None = None) -> None:
    """Give `subject` a role (admin tool / CLI). The only update in the store: roles are not events."""
    if role not in ROLES:
        raise StoreError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    with eng.begin() as con:
        exists = con.execute(sa.select(users.c.subject).where(users.c.subject == subject)).first()
        values = {"role": role, "granted_by": granted_by, "granted_at": _now(), "email": email, "name": name}
        if exists:
            con.execute(users.update().where(users.c.subject == subject).values(**values))
        else:
            con.execute(users.insert().values(subject=subject, **values))


# ---------------------------------------------------------------- submissions

_REGION = re.compile(r"^[A-Z]{2}[A-Z0-9]{0,3}$")
PAYLOAD_FIELDS = {
    "plant_event": {"site_id": True, "event": True, "status": False, "value": False, "unit": False, "date": True,
                    "note": False},
    "programme": {"provider": True, "programme": True, "city": True, "country": True, "capacity_per_year": False,
                  "eqf_level": False, "role": False},
    "partnership": {"industry_party": True, "education_party": True, "city": False, "country": True, "note": False},
    "needs_response": {"employer": True, "role_id": True, "year": True, "hires": True, "eqf_level": False,
                       "train_in_house": False},
}
PLANT_EVENTS = ("status", "capacity", "jobs_target", "headcount")
PLANT_STATUSES = ("operating", "under_construction", "announced", "paused", "cancelled")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _clean_payload(kind: str, payload: dict) -> dict:
    if kind not in KINDS:
        raise StoreError(f"unknown contribution kind {kind!r}")
    if not isinstance(payload, dict):
        raise StoreError("the form is incomplete")
    fields = PAYLOAD_FIELDS[kind]
    unknown = sorted(set(payload) - set(fields))
    if unknown:
        raise StoreError(f"unknown field(s): {', '.join(map(str, unknown))[:200]}")
    out = {}
    for name, required in fields.items():
        value = payload.get(name)
        if isinstance(value, str):
            if len(value) > MAX_TEXT:
                raise StoreError(f"{name} is too long (limit {MAX_TEXT:,} characters)")
            value = value.strip() or None
        if value is None and required:
            raise StoreError(f"{name} is required")
        out[name] = value
    if kind == "plant_event":
        if out["event"] not in PLANT_EVENTS:
            raise StoreError(f"event must be one of {', '.join(PLANT_EVENTS)}")
        if out["event"] == "status" and out["status"] not in PLANT_STATUSES:
            raise StoreError(f"a status event needs a status: {', '.join(PLANT_STATUSES)}")
        if out["event"] != "status" and out["value"] is None:
            raise StoreError("a capacity, jobs or headcount event needs a value")
        if not _DATE.match(str(out["date"])) or str(out["date"]) > dt.date.today().isoformat():
            raise StoreError("date must be YYYY, YYYY-MM or YYYY-MM-DD and not in the future")
    if kind == "needs_response":
        try:
            out["year"], out["hires"] = int(out["year"]), int(out["hires"])
        except (TypeError, ValueError):
            raise StoreError("year and hires must be whole numbers") from None
        if not 2024 <= out["year"] <= 2040 or not 0 <= out["hires"] <= 100_000:
            raise StoreError("year must be 2024–2040 and hires 0–100,000")
        if out["eqf_level"] is not None and int(out["eqf_level"]) not in range(1, 9):
            raise StoreError("EQF level must be 1–8")
    for name in ("value", "capacity_per_year"):
        if out.get(name) is not None:
            try:
                number = float(out[name])
            except (TypeError, ValueError):
                raise StoreError(f"{name} must be a number") from None
            if not (number == number and abs(number) < 1e9):  # finite and plausible
                raise StoreError(f"{name} must be a finite, plausible number")
            out[name] = number
    return out


@_guard
def submit(eng: sa.Engine, who: User, kind: str, payload: dict, client_key: str, *, region: str | None = None,
           source_url: str | None = None, source_title: str | None = None, round_id: int | None = None,
           now: dt.datetime | None = None) -> int:
    """Record one contribution; return its id. The same `client_key` returns the same id (safe retry)."""
    from workforce.text import safe_url

    if who.role not in ROLES:
        raise StoreError("Only signed-in contributors can submit; ask an admin for the contributor role.")
    if not re.fullmatch(r"[A-Za-z0-9_-]{8,64}", str(client_key or "")):
        raise StoreError("invalid submission key")
    clean = _clean_payload(kind, payload)
    body = json.dumps(clean, ensure_ascii=False, sort_keys=True)
    if len(body.encode()) > MAX_PAYLOAD_BYTES:
        raise StoreError(f"the contribution is too large (limit {MAX_PAYLOAD_BYTES // 1000} KB)")
    if region is not None and not _REGION.match(str(region)):
        raise StoreError("region must be a NUTS code such as HU32")
    if kind != "needs_response" and safe_url(source_url) is None:
        raise StoreError("a source URL (http/https) is required")
    now = now or _now()
    with eng.begin() as con:
        existing = con.execute(sa.select(submissions.c.id).where(submissions.c.client_key == client_key)).first()
        if existing:
            return int(existing[0])
        if round_id is not None:
            rnd = con.execute(sa.select(rounds).where(rounds.c.id == int(round_id))).mappings().first()
            if rnd is None or kind != "needs_response":
                raise StoreError("only expected-hires responses belong to an assessment round, and it must exist")
            if not rnd["opens_on"] <= now.date() <= rnd["closes_on"]:
                raise StoreError(f"the round '{rnd['title']}' is closed ({rnd['opens_on']} – {rnd['closes_on']})")
            if region not in (None, rnd["region"]):
                raise StoreError(f"the round '{rnd['title']}' is for {rnd['region']}, not {region}")
            region = rnd["region"]
        window_start = now - RATE_LIMIT[1]
        recent = con.execute(sa.select(sa.func.count()).select_from(submissions).where(
            submissions.c.submitted_by == who.subject, submissions.c.submitted_at >= window_start)).scalar_one()
        if recent >= RATE_LIMIT[0]:
            raise StoreError(f"You have sent {RATE_LIMIT[0]} contributions in the last hour; please wait a little.")
        result = con.execute(submissions.insert().values(
            client_key=client_key, kind=kind, payload=body, region=region, source_url=safe_url(source_url),
            source_title=(source_title or "")[:500] or None, submitted_by=who.subject, submitted_at=now,
            round_id=round_id))
        return int(result.inserted_primary_key[0])


def _latest_decisions():
    latest = sa.select(decisions.c.submission_id, sa.func.max(decisions.c.id).label("last_id")).group_by(
        decisions.c.submission_id).subquery()
    return sa.select(decisions).join(latest, decisions.c.id == latest.c.last_id).subquery()


def _state(decision: str | None) -> str:
    return {None: "pending", "approve": "approved", "reject": "rejected", "request_change": "changes_requested",
            "revert": "reverted"}[decision]


@_guard
def submissions_frame(eng: sa.Engine, state: str | None = None, kind: str | None = None):
    """Submissions with their current state (from the latest decision), newest first."""
    import pandas as pd

    last = _latest_decisions()
    query = sa.select(submissions, last.c.decision, last.c.reason, last.c.decided_by, last.c.decided_at).select_from(
        submissions.outerjoin(last, last.c.submission_id == submissions.c.id)).order_by(submissions.c.id.desc())
    if kind:
        query = query.where(submissions.c.kind == kind)
    with eng.connect() as con:
        df = pd.DataFrame(con.execute(query).mappings().all())
    if df.empty:
        df = pd.DataFrame(columns=[c.name for c in submissions.columns] + ["decision", "reason", "decided_by",
                                                                           "decided_at"])
    df["state"] = [_state(d if isinstance(d, str) else None) for d in df["decision"]]
    if state:
        df = df[df["state"] == state]
    return df.reset_index(drop=True)


@_guard
def decide(eng: sa.Engine, who: User, submission_id: int, decision: str, reason: str | None = None,
           now: dt.datetime | None = None) -> str:
    """A reviewer's decision as a new event; returns the submission's new state."""
    if who.role not in ("reviewer", "admin"):
        raise StoreError("Only reviewers can decide on contributions.")
    if decision not in DECISIONS:
        raise StoreError(f"unknown decision {decision!r}")
    if reason is not None and len(str(reason)) > MAX_TEXT:
        raise StoreError(f"the reason is too long (limit {MAX_TEXT:,} characters)")
    reason = (reason or "").strip() or None
    if decision in ("reject", "request_change", "revert") and not reason:
        raise StoreError("Say why (the contributor sees the reason).")
    with eng.begin() as con:
        row = con.execute(sa.select(submissions.c.submitted_by).where(submissions.c.id == int(submission_id))).first()
        if row is None:
            raise StoreError(f"no contribution #{submission_id}")
        if row[0] == who.subject:
            raise StoreError("You cannot review your own contribution.")
        last = con.execute(sa.select(decisions.c.decision).where(decisions.c.submission_id == int(submission_id))
                           .order_by(decisions.c.id.desc()).limit(1)).first()
        current = _state(last[0] if last else None)
        allowed = {"pending": {"approve", "reject", "request_change"},
                   "changes_requested": {"approve", "reject", "request_change"},
                   "approved": {"revert"}, "rejected": set(), "reverted": set()}[current]
        if decision not in allowed:
            raise StoreError(f"#{submission_id} is {current.replace('_', ' ')}; it cannot be {decision}d now.")
        con.execute(decisions.insert().values(submission_id=int(submission_id), decision=decision, reason=reason,
                                              decided_by=who.subject, decided_at=now or _now()))
    return _state(decision)


@_guard
def approved(eng: sa.Engine, kind: str):
    """Approved (not reverted) contributions of `kind`, payload fields as columns, with provenance columns
    `contributed_by`, `reviewed_by`, `reviewed_at` — what DuckDB reads into the catalog."""
    import pandas as pd

    df = submissions_frame(eng, state="approved", kind=kind)
    if df.empty:
        return pd.DataFrame()
    fields = pd.DataFrame([json.loads(p) for p in df["payload"]])
    prov = df[["id", "region", "source_url", "source_title", "submitted_by", "decided_by", "decided_at"]].rename(
        columns={"id": "submission_id", "submitted_by": "contributed_by", "decided_by": "reviewed_by",
                 "decided_at": "reviewed_at"})
    return pd.concat([prov.reset_index(drop=True), fields], axis=1)


def needs_summary(responses, min_respondents: int = DISCLOSURE_MIN):
    """Employer needs responses (approved, `approved(eng, 'needs_response')`) per region × role × year: hires
    summed, respondents counted; a cell from fewer than `min_respondents` employers is suppressed (hires empty,
    `suppressed` True) so no single employer's plan can be read off the atlas."""
    import pandas as pd

    cols = ["region", "role_id", "year", "respondents", "hires", "suppressed"]
    if responses is None or len(responses) == 0:
        return pd.DataFrame(columns=cols)
    g = responses.groupby(["region", "role_id", "year"], dropna=False).agg(
        respondents=("employer", "nunique"), hires=("hires", "sum")).reset_index()
    g["suppressed"] = g["respondents"] < min_respondents
    g["hires"] = g["hires"].where(~g["suppressed"])
    return g[cols]


@_guard
def open_round(eng: sa.Engine, who: User, region: str, title: str, opens_on: dt.date, closes_on: dt.date) -> int:
    """A region's needs-assessment round with an open/close date (reviewers and admins)."""
    if who.role not in ("reviewer", "admin"):
        raise StoreError("Only reviewers can open an assessment round.")
    if not _REGION.match(str(region)) or not title.strip() or closes_on < opens_on:
        raise StoreError("a round needs a NUTS region, a title and a close date after its open date")
    with eng.begin() as con:
        result = con.execute(rounds.insert().values(region=region, title=title.strip()[:200], opens_on=opens_on,
                                                    closes_on=closes_on, created_by=who.subject, created_at=_now()))
        return int(result.inserted_primary_key[0])


@_guard
def rounds_frame(eng: sa.Engine, region: str | None = None, open_on: dt.date | None = None):
    """Assessment rounds (newest first); `open_on`: only rounds open that day; `region`: one region's."""
    import pandas as pd

    query = sa.select(rounds).order_by(rounds.c.id.desc())
    if region:
        query = query.where(rounds.c.region == region)
    if open_on:
        query = query.where(rounds.c.opens_on <= open_on, rounds.c.closes_on >= open_on)
    with eng.connect() as con:
        df = pd.DataFrame(con.execute(query).mappings().all())
    return df if len(df) else pd.DataFrame(columns=[c.name for c in rounds.columns])


@_guard
def round_results(eng: sa.Engine, round_id: int):
    """A round's approved responses aggregated with the disclosure rule (what the region may export)."""
    approved_needs = approved(eng, "needs_response")
    if approved_needs.empty:
        return needs_summary(approved_needs)
    ids = submissions_frame(eng, state="approved", kind="needs_response")
    in_round = set(ids.loc[ids["round_id"] == int(round_id), "id"])
    return needs_summary(approved_needs[approved_needs["submission_id"].isin(in_round)])


# ---------------------------------------------------------------- backup / restore

def _jsonable(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


@_guard
def backup(eng: sa.Engine, path: Path) -> dict[str, int]:
    """Every table as JSON lines `{"table": name, "row": {...}}` (portable between SQLite and PostgreSQL)."""
    counts = {}
    with eng.connect() as con, Path(path).open("w", encoding="utf-8") as fh:
        for table in TABLES:
            rows = con.execute(sa.select(table).order_by(*table.primary_key.columns)).mappings().all()
            counts[table.name] = len(rows)
            for row in rows:
                fh.write(json.dumps({"table": table.name, "row": {k: _jsonable(v) for k, v in row.items()}},
                                    ensure_ascii=False) + "\n")
    return counts


@_guard
def restore(eng: sa.Engine, path: Path) -> dict[str, int]:
    """Load a backup into an EMPTY store (refuses to mix histories); returns row counts."""
    by_name = {t.name: t for t in TABLES}
    rows: dict[str, list[dict]] = {t.name: [] for t in TABLES}
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        try:
            rec = json.loads(line)
            table = by_name[rec["table"]]
        except (ValueError, KeyError, TypeError):
            raise StoreError(f"line {n}: not a store backup line") from None
        row = {}
        for col in table.columns:
            value = rec["row"].get(col.name)
            if value is not None and isinstance(col.type, sa.DateTime):
                value = dt.datetime.fromisoformat(value)
            elif value is not None and isinstance(col.type, sa.Date):
                value = dt.date.fromisoformat(value)
            row[col.name] = value
        rows[table.name].append(row)
    with eng.begin() as con:
        if any(con.execute(sa.select(sa.func.count()).select_from(t)).scalar_one() for t in TABLES):
            raise StoreError("restore needs an empty store (run `store upgrade` on a new database first)")
        for table in TABLES:
            if rows[table.name]:
                con.execute(table.insert(), rows[table.name])
        if eng.dialect.name == "postgresql":  # keep the id sequences ahead of restored ids
            for table in (submissions, decisions, rounds):  # fixed table names, never user input
                top = con.execute(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))).scalar_one()
                con.execute(sa.text("select setval(pg_get_serial_sequence(:t, 'id'), :v, false)"),
                            {"t": table.name, "v": int(top) + 1})
    return {name: len(r) for name, r in rows.items()}


def all_tables() -> Iterable[str]:
    return [t.name for t in TABLES]
