"""PostgreSQL insight: the top statements of pg_stat_statements (when the extension is there; else why not and
how to enable it, in one line) and each database's size. Read on demand, by the statements screen."""

from __future__ import annotations

from typing import Any

from warroom.data.errors import AwsError
from warroom.data.models import PgInsight, PgStatement

TOP = 50  # statements read by total time, and by mean time (the two overlap)

OVERVIEW = """
SELECT current_database(), current_setting('server_version'),
       (SELECT extversion FROM pg_extension WHERE extname = 'pg_stat_statements'),
       (SELECT quote_ident(n.nspname) FROM pg_extension AS e JOIN pg_namespace AS n ON n.oid = e.extnamespace
        WHERE e.extname = 'pg_stat_statements'),
       (SELECT coalesce(json_agg(json_build_array(datname, size) ORDER BY size DESC NULLS LAST, datname), '[]')
        FROM (SELECT datname, CASE WHEN has_database_privilege(oid, 'CONNECT') THEN pg_database_size(oid) END AS size
              FROM pg_database WHERE NOT datistemplate) AS d)
"""

# {schema} is quote_ident's answer; {total}/{mean} the columns of the extension's version (renamed in 1.8).
STATEMENTS = """
WITH s AS (
    SELECT s.query, s.calls, s.{total} AS total, s.{mean} AS mean, s.rows,
           coalesce(d.datname, '') AS database, coalesce(r.rolname, '') AS usename
    FROM {schema}.pg_stat_statements AS s
    LEFT JOIN pg_database AS d ON d.oid = s.dbid LEFT JOIN pg_roles AS r ON r.oid = s.userid
)
SELECT ({reset}),
       (SELECT coalesce(json_agg(t ORDER BY t.total DESC), '[]') FROM
           ((SELECT * FROM s ORDER BY total DESC NULLS LAST LIMIT %(top)s)
            UNION (SELECT * FROM s ORDER BY mean DESC NULLS LAST LIMIT %(top)s)) AS t)
"""
REFUSED = {"55000", "42501"}  # not in shared_preload_libraries; not allowed to read it


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".") if part.isdigit())


def statements_sql(version: str, schema: str) -> str:
    """The statements query for this version of the extension, installed in `schema` (already quoted)."""
    new = _version(version) >= (1, 8)
    reset = f"SELECT stats_reset FROM {schema}.pg_stat_statements_info" if _version(version) >= (1, 9) \
        else "SELECT NULL::timestamptz"
    return STATEMENTS.format(reset=reset, schema=schema, total="total_exec_time" if new else "total_time",
                             mean="mean_exec_time" if new else "mean_time")


def not_installed(database: str) -> str:
    return (f"pg_stat_statements is not installed in {database}: run CREATE EXTENSION pg_stat_statements; there "
            "(it must also be in shared_preload_libraries: the default on RDS and Aurora PostgreSQL, elsewhere "
            "a restart)")


def parse_statement(raw: dict[str, Any]) -> PgStatement:
    return PgStatement(query=str(raw.get("query") or ""), calls=int(raw.get("calls") or 0),
                       total_ms=float(raw.get("total") or 0.0), mean_ms=float(raw.get("mean") or 0.0),
                       rows=int(raw.get("rows") or 0), database=str(raw.get("database") or ""),
                       user=str(raw.get("usename") or ""))


async def read_insight(execute: Any) -> PgInsight:
    """Sizes and top statements through `execute(sql, params)` (the server's one connection). A server that
    refuses pg_stat_statements (not preloaded, not allowed) says why in `missing`; other failures raise."""
    database, server, version, schema, sizes = (await execute(OVERVIEW, {}))[0]
    found = tuple((str(name), int(size) if size is not None else None) for name, size in sizes or ())
    if not version:
        return PgInsight(str(database), str(server), (), None, not_installed(str(database)), found)
    try:
        reset, rows = (await execute(statements_sql(str(version), str(schema)), {"top": TOP}))[0]
    except AwsError as exc:
        if exc.code not in REFUSED:
            raise
        return PgInsight(str(database), str(server), (), None, f"pg_stat_statements not read: {exc.message}",
                         found)
    return PgInsight(str(database), str(server), tuple(parse_statement(r) for r in rows or ()), reset, "", found)
