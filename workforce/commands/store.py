"""`python -m workforce store upgrade|downgrade|backup FILE|restore FILE|grant SUBJECT ROLE|status`: the
contributions database (WORKFORCE_STORE_URL or the embedded SQLite file under .data/)."""

from __future__ import annotations

import json
from pathlib import Path


def add_arguments(parser) -> None:
    parser.add_argument("action", choices=("upgrade", "downgrade", "backup", "restore", "grant", "status"))
    parser.add_argument("args", nargs="*", help="backup/restore: FILE; grant: SUBJECT ROLE; downgrade: [REVISION]")
    parser.add_argument("--url", help="database URL (default: WORKFORCE_STORE_URL or .data/store.sqlite)")


def run(args) -> int:
    from workforce import store
    from workforce.cli import CliError

    url = args.url or store.url_from_env()
    try:
        if args.action == "upgrade":
            store.upgrade(url)
        elif args.action == "downgrade":
            store.downgrade(url, args.args[0] if args.args else "base")
        elif args.action in ("backup", "restore"):
            if len(args.args) != 1:
                raise CliError(f"store {args.action} needs one FILE")
            path = Path(args.args[0])
            if args.action == "restore" and not path.is_file():
                raise CliError(f"no such file: {path}")
            counts = (store.backup if args.action == "backup" else store.restore)(store.engine(url), path)
            print(json.dumps(counts))
        elif args.action == "grant":
            if len(args.args) != 2:
                raise CliError("store grant needs SUBJECT ROLE")
            store.grant(store.engine(url), args.args[0], args.args[1], granted_by="cli")
        else:
            df = store.submissions_frame(store.engine(url))
            print(json.dumps({"submissions": len(df), **df["state"].value_counts().to_dict()}))
    except (store.StoreError, store.StoreUnavailable) as exc:
        raise CliError(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - alembic/sqlalchemy errors: a plain message, exit 2
        if type(exc).__module__.split(".")[0] in ("sqlalchemy", "alembic", "psycopg"):
            raise CliError(f"store {args.action}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}") from None
        raise
    return 0
