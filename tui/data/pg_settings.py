"""Where warroom's PostgreSQL connection goes and how it gets its password.

The way PostgreSQL users already keep it: a `dsn` or libpq keywords in the environment's `[database]` table,
PG* environment variables, ~/.pgpass and service files (libpq reads those itself); for RDS/Aurora the host and
port of an instance or cluster (`rds = "id"`, or the row picked on the Databases pane) and a password from a
Secrets Manager secret (`secret_id`, the JSON RDS-managed secrets hold) or an IAM auth token (`iam_auth = true`).
The password is resolved at each (re)connect, kept in no dataclass repr, and never put in a label or message.
"""

from __future__ import annotations

import asyncio
import json
import os
from dataclasses import dataclass, field
from typing import Any

from warroom.data.aws import Aws
from warroom.data.errors import AwsError, map_error
from warroom.data.models import Database

LIBPQ_KEYWORDS = frozenset({
    "host", "hostaddr", "port", "dbname", "user", "passfile", "connect_timeout", "options", "sslmode",
    "sslcert", "sslkey", "sslrootcert", "sslcrl", "sslpassword", "sslnegotiation", "sslcompression",
    "requiressl", "gssencmode", "krbsrvname", "service", "target_session_attrs", "load_balance_hosts",
    "channel_binding", "require_auth", "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count",
    "tcp_user_timeout",
})
OWN_KEYS = frozenset({"dsn", "rds", "secret_id", "iam_auth", "password"})
PG_ENVIRONMENT = ("PGHOST", "PGHOSTADDR", "PGSERVICE", "PGDATABASE", "PGPORT")
CONNECT_TIMEOUT = 5
STATEMENT_TIMEOUT_MS = 5000
# warroom's own session: named, bounded, and dropped quickly when the network goes.
SESSION = {
    "application_name": "warroom",
    "keepalives": "1", "keepalives_idle": "10", "keepalives_interval": "5", "keepalives_count": "2",
    "tcp_user_timeout": "15000",
}


SHOWN = ("host", "port", "dbname", "user", "sslmode", "service")


def shown(params: dict[str, str]) -> str:
    """The parts of a connection that identify it, as a libpq conninfo string (never the password)."""
    from psycopg.conninfo import make_conninfo  # psycopg loads with a database to watch, not at every start

    return make_conninfo(**{k: params[k] for k in SHOWN if params.get(k)})


class SettingsError(ValueError):
    """A `[database]` table warroom cannot use."""


@dataclass(frozen=True)
class PgSettings:
    """The `[database]` table, checked; `database` is an RDS row whose endpoint overrides the host."""

    params: tuple[tuple[str, str], ...] = ()
    rds: str = ""
    secret_id: str = ""
    iam_auth: bool = False
    password: str = field(default="", repr=False)
    database: Database | None = None

    @property
    def configured(self) -> bool:
        return bool(self.params or self.rds or self.database or any(os.environ.get(v) for v in PG_ENVIRONMENT))

    def label(self) -> str:
        """user@host:port/dbname as far as known before connecting; no password."""
        params = dict(self.params)
        host = (self.database.endpoint if self.database else "") or params.get("host") or self.rds or \
            os.environ.get("PGHOST", "") or params.get("service", "") or "local"
        port = str(self.database.port if self.database and self.database.port else params.get("port", ""))
        user = params.get("user") or os.environ.get("PGUSER", "")
        dbname = params.get("dbname") or os.environ.get("PGDATABASE", "")
        return f"{user + '@' if user else ''}{host}{':' + port if port else ''}{'/' + dbname if dbname else ''}"


def settings_from(table: dict[str, Any]) -> PgSettings:
    """Check a `[database]` table; raises SettingsError naming the bad key."""
    params: dict[str, str] = {}
    for key, value in table.items():
        if key not in LIBPQ_KEYWORDS | OWN_KEYS:
            raise SettingsError(f"unknown key {key!r} in [database] (a libpq keyword, dsn, rds, secret_id, "
                                "iam_auth or password)")
        if key == "iam_auth":
            if not isinstance(value, bool):
                raise SettingsError("iam_auth must be true or false")
        elif not isinstance(value, (str, int)) or isinstance(value, bool):
            raise SettingsError(f"{key} must be a string")
    if "dsn" in table:
        from psycopg.conninfo import conninfo_to_dict

        try:
            params.update(conninfo_to_dict(str(table["dsn"])))
        except Exception:  # the message may quote the DSN, password and all
            raise SettingsError("dsn is not a valid PostgreSQL connection string or URI") from None
    params.update({k: str(v) for k, v in table.items() if k in LIBPQ_KEYWORDS})
    password = str(params.pop("password", "") or table.get("password", ""))
    if table.get("iam_auth") and (password or table.get("secret_id")):
        raise SettingsError("iam_auth takes no password or secret_id")
    return PgSettings(params=tuple(sorted(params.items())), rds=str(table.get("rds", "")),
                      secret_id=str(table.get("secret_id", "")), iam_auth=bool(table.get("iam_auth")),
                      password=password)


async def _endpoint(aws: Aws, identifier: str) -> tuple[str, int | None]:
    from warroom.data.rds import read_databases

    found = [d for d in await read_databases(aws, (identifier,)) if d.id == identifier]
    if not found or not found[0].endpoint:
        raise AwsError("DBNotFound", f"no RDS instance or cluster {identifier} with an endpoint", "DescribeDBInstances")
    return found[0].endpoint, found[0].port


def _iam_token(aws: Aws, params: dict[str, str]) -> str:
    """An RDS IAM auth token (signed locally, but finding the credentials may take a request: not on the loop)."""
    try:
        port = int(params.get("port") or 5432)
    except ValueError:
        raise AwsError("BadPort", f"iam_auth needs one port, not {params.get('port')!r}", "GenerateDBAuthToken") \
            from None
    try:
        return str(aws.client("rds").generate_db_auth_token(
            DBHostname=params.get("host", ""), Port=port, DBUsername=params.get("user") or os.environ.get("PGUSER", ""),
            Region=aws.region))
    except Exception as exc:  # no credentials, a bad profile: the pane says why
        raise map_error(exc, "GenerateDBAuthToken") from None


async def connect_params(settings: PgSettings, aws: Aws) -> dict[str, str]:
    """The keyword arguments for psycopg.connect, password included: resolved anew for every connection."""
    params = {**SESSION, "connect_timeout": str(CONNECT_TIMEOUT), **dict(settings.params)}
    params["options"] = f"{params.get('options', '')} -c statement_timeout={STATEMENT_TIMEOUT_MS}".strip()
    if settings.database is not None and settings.database.endpoint:
        params["host"] = settings.database.endpoint
        if settings.database.port:
            params["port"] = str(settings.database.port)
    elif settings.rds:
        host, port = await _endpoint(aws, settings.rds)
        params["host"] = host
        if port:
            params["port"] = str(port)
    if settings.password:
        params["password"] = settings.password
    if settings.secret_id:
        answer = await aws.call("secretsmanager", "get_secret_value", SecretId=settings.secret_id)
        try:
            secret = json.loads(answer.get("SecretString") or "{}")
            params["password"] = str(secret["password"])
        except (ValueError, KeyError, TypeError):
            raise AwsError("SecretFormat", f"secret {settings.secret_id} holds no JSON with a password",
                           "GetSecretValue") from None
        params.setdefault("user", str(secret.get("username", "")))
    if settings.iam_auth:
        params["password"] = await asyncio.to_thread(_iam_token, aws, params)
        params.setdefault("sslmode", "require")
    return {k: v for k, v in params.items() if v != ""}
