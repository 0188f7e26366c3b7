"""The overview at scale: ACCOUNTS accounts × REGIONS regions, each an environment behind a role profile (moto
answers AssumeRole into arn:aws:iam::ACCOUNT:role/… with that account's own resources), LATENCY ms added to every
request by a proxy. Prints JSON: the time from start to a full overview in warroom (the real app, headless: every
row read, STS once per environment, then its summary) against a minimal concurrent boto3 fan-out of the same
reads in the same run (median of the runs, alternated), once as boto3 does it (each session parses the service
models again) and once with one shared data loader as warroom does; the calls each made; and the memory warroom
holds per environment (a process of its own: RSS after every environment's summary, less after one, over the
others).

    .venv/bin/python bench/overview.py [--accounts 20] [--regions 3] [--latency-ms 30] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import child  # noqa: E402

REGIONS = ("us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2", "eu-central-1")
SERVICES = 4  # per environment, one cluster
ALARMS = 3  # per environment, the first in ALARM


def environments(accounts: int, regions: int) -> list[tuple[str, str, str]]:
    """(environment, profile, region) for every account and region."""
    return [(f"acct{a:02d}-{region}", f"acct{a:02d}", region) for a in range(accounts) for region in REGIONS[:regions]]


def profiles(accounts: int) -> str:
    lines = ["[profile base]", "aws_access_key_id = testing", "aws_secret_access_key = testing",
             "region = us-east-1"]
    for a in range(accounts):
        lines += [f"[profile acct{a:02d}]", f"role_arn = arn:aws:iam::{100000000000 + a:012d}:role/oncall",
                  "source_profile = base"]
    return "\n".join(lines) + "\n"


def world(state: Path, accounts: int, regions: int, latency: float) -> None:
    """The child: moto, every environment's fleet, the latency proxy; tells its endpoint and request count."""
    from tests.fault_proxy import FaultProxy
    from warroom.data.aws import Aws
    from warroom.demo import server
    from warroom.demo.world import put_alarm, register_family

    moto = server.start()
    server.use_endpoint(moto.endpoint)
    config = state.parent / "aws-config"
    config.write_text(profiles(accounts))
    os.environ["AWS_CONFIG_FILE"] = str(config)
    for name, profile, region in environments(accounts, regions):
        aws = Aws(profile, region)
        ecs = aws.client("ecs")
        ecs.create_cluster(clusterName=name)
        [arn] = register_family(aws, name, 1, "app", f"/ecs/{name}")
        for index in range(SERVICES):
            ecs.create_service(cluster=name, serviceName=f"{name}-svc{index}", taskDefinition=arn, desiredCount=1)
        for index in range(ALARMS):
            put_alarm(aws, f"{name}-alarm{index}", "ALARM" if index == 0 else "OK")
        aws.client("rds").create_db_instance(DBInstanceIdentifier=f"{name}-db", Engine="postgres",
                                             DBInstanceClass="db.t3.medium", MasterUsername="u",
                                             MasterUserPassword="password1", AllocatedStorage=20)
        aws.close()
    proxy = FaultProxy(moto.endpoint)
    proxy.latency = latency
    while True:
        child.tell(state, {"endpoint": proxy.endpoint, "config": str(config), "requests": proxy.count()})
        time.sleep(0.05)


def requests(state: Path) -> int:
    time.sleep(0.3)  # the child writes its count every 50 ms
    return int(child.read(state)["requests"])


def minimal(envs: list[tuple[str, str, str]], shared: bool) -> float:
    """The same reads with boto3 alone, every environment at once and its three services at once: seconds.
    `shared`: its sessions share one botocore data loader as warroom's do (else each parses the models again)."""
    import boto3

    loader = boto3.Session()._session.get_component("data_loader")

    def one(profile: str, region: str, pool: ThreadPoolExecutor) -> None:
        session = boto3.Session(profile_name=profile, region_name=region)
        if shared:
            session._session.register_component("data_loader", loader)
        session.client("sts").get_caller_identity()

        def services() -> None:
            ecs = session.client("ecs")
            for cluster in ecs.list_clusters()["clusterArns"]:
                arns = ecs.list_services(cluster=cluster)["serviceArns"]
                for start in range(0, len(arns), 10):
                    ecs.describe_services(cluster=cluster, services=arns[start:start + 10])

        reads = [pool.submit(services),
                 pool.submit(lambda: session.client("cloudwatch").describe_alarms(StateValue="ALARM")),
                 pool.submit(lambda: session.client("rds").describe_db_instances()),
                 pool.submit(lambda: session.client("rds").describe_db_clusters())]
        for read in reads:
            read.result()

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=len(envs) * 5) as pool:
        for done in [pool.submit(one, profile, region, pool) for _, profile, region in envs]:
            done.result()
    return time.monotonic() - started


def warroom_config(envs: list[tuple[str, str, str]], folder: Path) -> Path:
    path = folder / "warroom.toml"
    path.write_text("".join(f'[env.{name}]\nprofile = "{profile}"\nregion = "{region}"\n\n'
                            for name, profile, region in envs))
    return path


async def overview(config: Path) -> tuple[float, float]:
    """The real app on the overview until every row has its summary: seconds from the screen being up (its reads
    start then), and from the app's start."""
    from warroom.app import WarroomApp
    from warroom.environments import Environments
    from warroom.screens.overview import OverviewScreen

    started = time.monotonic()
    app = WarroomApp(None, interval=60.0, environments=Environments(config))
    async with app.run_test(headless=True, size=(160, 50)) as pilot:
        while not isinstance(app.screen, OverviewScreen):
            await pilot.pause(0.005)
        screen, up = app.screen, time.monotonic()
        while not all(f.last_ok for f in screen.fresh.values()):
            errors = [f.problem() for f in screen.fresh.values() if f.error]
            if errors:
                raise SystemExit(f"bench/overview.py: {errors[0]}")
            await pilot.pause(0.005)
        done = time.monotonic()
        return done - up, done - started


def memory(config: Path, count: int) -> None:
    """In a process of its own: RSS after the first environment's summary and after all; prints JSON."""
    from warroom.environments import Environments

    def rss() -> float:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / (1 << 20)

    async def read() -> dict[str, float]:
        held = Environments(config)
        envs = held.configured[:count]
        await held.summary(envs[0])
        first = rss()
        await asyncio.gather(*(held.summary(env) for env in envs[1:]))
        return {"rss_one_mib": round(first, 1), "rss_all_mib": round(rss(), 1),
                "per_environment_mib": round((rss() - first) / max(1, len(envs) - 1), 2)}

    print(json.dumps(asyncio.run(read())))


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--accounts", type=int, default=20)
    options.add_argument("--regions", type=int, default=3, choices=range(1, len(REGIONS) + 1))
    options.add_argument("--latency-ms", type=float, default=30.0)
    options.add_argument("--runs", type=int, default=3)
    options.add_argument("--world", metavar="STATE", help=argparse.SUPPRESS)
    options.add_argument("--memory", metavar="CONFIG", help=argparse.SUPPRESS)
    args = options.parse_args()
    envs = environments(args.accounts, args.regions)
    if args.world:
        world(Path(args.world), args.accounts, args.regions, args.latency_ms / 1000)
        return
    if args.memory:
        memory(Path(args.memory), len(envs))
        return
    from warroom.demo import server

    with child.world(__file__, "--accounts", str(args.accounts), "--regions", str(args.regions),
                     "--latency-ms", str(args.latency_ms)) as state:
        told = child.read(state)
        server.use_endpoint(told["endpoint"])
        os.environ["AWS_CONFIG_FILE"] = told["config"]
        config = warroom_config(envs, state.parent)
        times: dict[str, list[float]] = {"minimal_s": [], "minimal_shared_loader_s": [], "warroom_s": [],
                                         "warroom_from_start_s": []}
        calls: dict[str, int] = {}
        for _ in range(args.runs):
            before = requests(state)
            times["minimal_s"].append(minimal(envs, shared=False))
            calls["minimal"] = requests(state) - before
            times["minimal_shared_loader_s"].append(minimal(envs, shared=True))
            before = requests(state)
            screen_up, from_start = asyncio.run(overview(config))
            times["warroom_s"].append(screen_up)
            times["warroom_from_start_s"].append(from_start)
            calls["warroom"] = requests(state) - before
        held = json.loads(subprocess.run([sys.executable, __file__, "--memory", str(config), "--accounts",
                                          str(args.accounts), "--regions", str(args.regions)],
                                         capture_output=True, text=True, check=True, env=os.environ).stdout)
    median = {name: round(statistics.median(runs), 3) for name, runs in times.items()}
    print(json.dumps({
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d"), "environments": len(envs),
        "accounts": args.accounts, "regions": args.regions, "latency_ms": args.latency_ms,
        "per_environment": {"services": SERVICES, "alarms": ALARMS, "databases": 1}, "cpus": os.cpu_count(),
        "median": median, "ratio": round(median["warroom_s"] / median["minimal_s"], 2),
        "ratio_to_shared_loader": round(median["warroom_s"] / median["minimal_shared_loader_s"], 2),
        "runs": {name: [round(t, 3) for t in runs] for name, runs in times.items()},
        "calls": calls, "memory": held}, indent=2))


if __name__ == "__main__":
    main()
