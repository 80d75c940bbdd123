"""The explorer's user-SQL worker: a separate, short-lived process with OS limits.

`workforce.db.run_user_sql` starts `python -m workforce.sandbox_worker` for every user query, with
`resource.setrlimit` on address space and CPU seconds applied before the interpreter starts, and kills it
after a hard wall-clock deadline. The serving process therefore never holds a user query's memory, and a
query that builds huge strings or loops for minutes dies alone.

Protocol: one JSON request on stdin ({"catalog": path of a DuckDB catalog file, "sql", "max_rows",
"max_bytes", "timeout_s", "settings": [[key, value], ...]}); on success an Arrow IPC stream on stdout (exit 0);
on a refusal or failure one JSON line {"error": plain message} on stdout (exit 3). Anything else (killed by a
limit, crashed) is reported by the parent as "stopped".

This module imports duckdb: besides `workforce.db` it is the only one allowed to (see pyproject contracts).
It imports nothing else from workforce, so the worker starts in ~0.3 s.
"""

from __future__ import annotations

import json
import os
import re
import sys
import threading

_PATH_RE = re.compile(r"""(?:[A-Za-z]:)?[^\s"'`]*[\\/][^\s"'`]*""")


def _safe(exc: BaseException) -> str:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return _PATH_RE.sub("<path>", first)[:500]


def _fail(message: str) -> int:
    sys.stdout.write(json.dumps({"error": message}) + "\n")
    sys.stdout.flush()
    return 3


def main() -> int:
    import time

    try:
        request = json.loads(sys.stdin.read(1_000_000))
        sql, catalog = str(request["sql"]), str(request["catalog"])
        max_rows, max_bytes = int(request["max_rows"]), int(request["max_bytes"])
        timeout_s = float(request["timeout_s"])
        settings = [(str(k), v) for k, v in request["settings"]]
    except (ValueError, KeyError, TypeError):
        return _fail("Bad request to the SQL worker.")
    import duckdb  # noqa: I001 (imported after the OS limits are set)
    import pyarrow as pa

    try:
        con = duckdb.connect(catalog, read_only=True, config={"threads": 1, "memory_limit": "256MB"})
        for key, value in settings:
            con.execute(f"set {key} = {value!r}" if isinstance(value, str) else f"set {key} = {str(value).lower()}")
        con.execute("set lock_configuration = true")
    except duckdb.Error as exc:
        return _fail(f"The explorer cannot open its data: {_safe(exc)}")
    threading.stack_size(256 * 1024)  # the watchdog thread must fit under the address-space limit
    timer = threading.Timer(timeout_s, con.interrupt)
    timer.daemon = True
    started = time.monotonic()
    timer.start()
    try:
        reader = con.sql(sql).to_arrow_reader(2048)
        batches, rows, size, truncated = [], 0, 0, False
        for batch in reader:
            if time.monotonic() - started > timeout_s:
                raise duckdb.InterruptException("Interrupted")
            size += batch.nbytes
            if size > max_bytes:
                return _fail(f"The result is too large (over {max_bytes // 1_000_000} MB); "
                             "select fewer or shorter columns.")
            if rows + batch.num_rows > max_rows:
                batches.append(batch.slice(0, max_rows - rows))
                truncated = True
                break
            batches.append(batch)
            rows += batch.num_rows
        schema = reader.schema
        reader.close()  # a query left unread (truncated) ends here, not in the interpreter's teardown
        table = pa.Table.from_batches(batches, schema=schema)
        table = table.replace_schema_metadata({"truncated": "1" if truncated else "0"})
    except duckdb.InterruptException:
        return _fail(f"The query was stopped after {timeout_s:g} s.")
    except (duckdb.OutOfMemoryException, MemoryError):
        return _fail("The query needs too much memory.")
    except duckdb.Error as exc:
        return _fail(_safe(exc))
    except (RecursionError, OverflowError, ValueError, OSError, pa.ArrowException) as exc:
        return _fail(f"The result cannot be shown: {_safe(exc)}")
    finally:
        timer.cancel()
    sink = sys.stdout.buffer
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    sink.flush()
    return 0


def limit(memory_bytes: int, cpu_seconds: int) -> None:
    """OS limits for this process, set before duckdb is imported or any user SQL is seen: address space,
    CPU seconds, no files written (results go to the stdout pipe), no child processes of its own."""
    import resource

    # RLIMIT_DATA bounds what the process can really write to (heap and private mappings); the address
    # space gets a looser bound because DuckDB reserves large untouched virtual ranges at connect.
    resource.setrlimit(resource.RLIMIT_DATA, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_AS, (6 * memory_bytes, 6 * memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


if __name__ == "__main__":
    try:
        limit(int(sys.argv[1]), int(sys.argv[2]))
    except (IndexError, ValueError):
        sys.exit(_fail("Bad request to the SQL worker."))
    sys.setrecursionlimit(2000)
    try:
        code = main()
    except MemoryError:
        code = _fail("The query needs too much memory.")
    # The answer is written and flushed: leave without the interpreter's teardown, where DuckDB's connection and
    # pyarrow's buffers would be freed in an order nobody chose (a crash there would turn a delivered result into
    # "stopped" for the parent). The OS frees everything.
    sys.stdout.flush()
    os._exit(code)
