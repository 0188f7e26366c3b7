"""The `warroom` command: parse options, load the environment, check the credentials, run the app.

Every failure before the app starts is one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from warroom import __version__, inputs
from warroom.config import ConfigError, Environment, default_path, load_all
from warroom.start import StartError, environment_from
from warroom.untrusted import clean

if TYPE_CHECKING:
    from warroom.data.aws import Aws
    from warroom.data.models import Identity


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="warroom",
        description="A full-screen terminal dashboard for AWS operations (ECS, CloudWatch alarms, RDS).",
        epilog="warroom logs GROUP [GROUP...] [--since 1h] [--filter PATTERN] [--follow]: "
               "print log events as plain text. warroom audit [--since 1h]: print the audit log. "
               "warroom check [--json]: the morning health check once (exit 0 ok, 1 not, 2 could not check). "
               "warroom timeline [--since 2h] [--markdown | --json]: what changed, when, and who did it.",
    )
    p.add_argument("--env", metavar="NAME",
                   help="environment from the config file (without it, several environments open on the overview)")
    p.add_argument("--config", metavar="FILE", type=Path, help=f"config file (default: {default_path()})")
    p.add_argument("--profile", metavar="PROFILE", help="AWS profile (overrides the environment's)")
    p.add_argument("--region", metavar="REGION", help="AWS region (overrides the environment's)")
    p.add_argument("--refresh", metavar="SECONDS", type=inputs.refresh, default=10.0,
                   help=f"seconds between refreshes of each pane, 1 to {inputs.MAX_REFRESH} (default 10)")
    p.add_argument("--read-only", action="store_true", help="refuse every action that changes anything")
    p.add_argument("--demo", action="store_true",
                   help="run against an embedded moto server with a simulated fleet (no account, no network)")
    p.add_argument("--version", action="version", version=f"warroom {__version__}")
    return p


def _start_demo() -> Environment:
    try:
        import moto  # noqa: F401
    except ImportError:
        raise StartError("the demo needs moto: pip install 'warroom[demo]' (or run `make demo`)") from None
    from warroom.data.aws import Aws
    from warroom.demo import fleet, server
    from warroom.demo.metrics import CUSTOM_METRICS
    from warroom.demo.responder import Responder
    from warroom.demo.simulator import Simulator

    moto_server = server.start()
    responder = Responder(moto_server.endpoint)  # CloudTrail, alarm history, scaling activities: what went through
    server.use_endpoint(responder.endpoint)
    aws = Aws()
    database = _start_demo_postgres()
    fleet.seed(aws, db_port=int(database["port"]) if database else None, responder=responder)
    simulator = Simulator(aws, responder=responder)
    simulator.start()
    return Environment(name="demo", database=database, metrics=CUSTOM_METRICS)


def _start_demo_postgres() -> dict[str, str]:
    """The demo's PostgreSQL with its workload; without PostgreSQL binaries the demo runs without the pane.

    `hostaddr` stands in for DNS: `c` on a Databases row connects to the name moto gave its endpoint (on this
    server's port, as the fleet is seeded) and libpq reaches any name at this loopback address."""
    import atexit

    from warroom.demo.pg_workload import Workload
    from warroom.demo.postgres import PostgresServer, PostgresUnavailable

    try:
        postgres = PostgresServer()
        atexit.register(postgres.close)
        postgres.start()
    except PostgresUnavailable as exc:
        print(f"warroom: demo without PostgreSQL: {clean(str(exc))}", file=sys.stderr)
        return {}
    Workload(postgres.conninfo).start()
    return {**postgres.conninfo, "hostaddr": postgres.conninfo["host"]}


def _several(config: Path | None) -> bool:
    """Whether the config file defines more than one environment (a file that cannot be used says so later)."""
    try:
        return len(load_all(config)[0]) > 1
    except ConfigError:
        return False


def _ask_sts(aws: Aws) -> Future[Identity]:
    """`whoami` in a daemon thread (^C never waits on it): the credential chain and STS answer while the UI is
    imported."""
    from warroom.data.identity import whoami

    asked: Future[Identity] = Future()

    def ask() -> None:
        try:
            asked.set_result(whoami(aws))
        except BaseException as exc:  # raised again by asked.result()
            asked.set_exception(exc)

    threading.Thread(target=ask, name="whoami", daemon=True).start()
    return asked


def prepare(argv: Sequence[str] | None = None):  # type: ignore[no-untyped-def]
    """Everything up to a ready app: options, environment, AWS clients and the caller identity; or, with several
    environments configured and none chosen, the app on the overview of them all."""
    args = parser().parse_args(argv)
    if not (args.demo or args.env or args.profile or args.region) and _several(args.config):
        from warroom.app import WarroomApp
        from warroom.environments import Environments

        return WarroomApp(None, interval=args.refresh, read_only=args.read_only,
                          environments=Environments(args.config))
    env = _start_demo() if args.demo else environment_from(args)
    from warroom.data.aws import Aws
    from warroom.data.errors import AwsError
    from warroom.data.pg_settings import SettingsError, settings_from

    try:
        settings_from(env.database)
    except SettingsError as exc:
        raise StartError(f"bad config: [env.{env.name}.database]: {exc}") from None
    try:
        aws = Aws(env.profile, env.region)
        asked = _ask_sts(aws)
        from warroom.app import WarroomApp
        from warroom.audit import AuditLog
        from warroom.aws_backend import AwsBackend
        from warroom.environments import Environments

        identity = asked.result()
    except AwsError as exc:
        raise StartError(exc.message if exc.credentials else exc.one_line()) from None
    audit = AuditLog.demo() if args.demo else None  # the demo's actions never land in the real audit log
    environments = Environments(args.config, listed=(env,) if args.demo else None)
    environments.remember(env, identity)
    return WarroomApp(AwsBackend(aws, env, identity), interval=args.refresh, read_only=args.read_only, audit=audit,
                      environments=environments)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["logs"]:
        from warroom.logs_cli import run

        return run(argv[1:])
    if argv[:1] == ["check"]:
        from warroom.check_cli import run as check

        return check(argv[1:])
    if argv[:1] == ["timeline"]:
        from warroom.timeline_cli import run as timeline

        return timeline(argv[1:])
    if argv[:1] == ["audit"]:
        from warroom.audit_cli import run as audit

        return audit(argv[1:])
    try:
        app = prepare(argv)
    except StartError as exc:
        print(f"warroom: {clean(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    from warroom.shutdown import finish

    app.run()
    finish(app.return_code or 0)  # without waiting for reads still in flight; 1 after an unhandled crash


if __name__ == "__main__":
    sys.exit(main())
