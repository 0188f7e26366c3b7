"""Benchmark one full refresh of the app's data layer against a plain boto3 thread pool, on a moto server.

For each fleet (C clusters x S services, A alarms, D databases) and each added per-request delay (0 and 30 ms,
the latter standing in for a bastion's round trip to AWS), prints JSON with: the AWS calls one refresh makes,
the calls of the plain pool (the minimal set this endpoint needs: moto returns every alarm in one page) and the
minimal number for that fleet by AWS's limits, the median wall time of 5 refreshes, and the median time of the
minimal call set issued by a plain thread pool of boto3 clients in the same run.

    .venv/bin/python bench/refresh.py [--fleets 4x10,20x25] [--alarms 300] [--databases 20] [--delays 0,30]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from warroom.data.aws import POOL_SIZE, RATES, Aws  # noqa: E402
from warroom.data.cloudwatch import read_alarms  # noqa: E402
from warroom.data.ecs import read_services  # noqa: E402
from warroom.data.models import Fleet  # noqa: E402
from warroom.data.rds import read_databases  # noqa: E402
from warroom.demo import server  # noqa: E402
from warroom.demo.world import ServiceSpec, create_instance, create_services, put_alarm  # noqa: E402

RUNS = 5
THROTTLE_WINDOW = max(period for _, period in RATES.values())  # the app refreshes every 10 s, not back to back


def delayed_server(delay: float) -> tuple[Any, str]:
    """A second HTTP front on the same in-process moto backends that sleeps `delay` s before each request."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server

    app = DomainDispatcherApplication(create_backend_app)

    def slow(environ: Any, start_response: Any) -> Any:
        time.sleep(delay)
        return app(environ, start_response)

    httpd = make_server("127.0.0.1", 0, slow, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_port}"


def minimal_calls(clusters: int, services: int, alarms: int, databases: int) -> int:
    per_cluster = max(1, math.ceil(services / 100)) + math.ceil(services / 10)
    return (max(1, math.ceil(clusters / 100)) + clusters * per_cluster + max(1, math.ceil(alarms / 100))
            + max(1, math.ceil(databases / 100)) + 1)


async def app_refresh(aws: Aws) -> None:
    await asyncio.gather(read_services(aws, Fleet()), read_alarms(aws), read_databases(aws))


def plain_pool_refresh(aws: Aws) -> None:
    """The same minimal call set, issued by a plain ThreadPoolExecutor of boto3 clients."""
    ecs, cloudwatch, rds = aws.client("ecs"), aws.client("cloudwatch"), aws.client("rds")

    def alarms() -> None:
        for _ in cloudwatch.get_paginator("describe_alarms").paginate(PaginationConfig={"PageSize": 100}):
            pass

    def cluster(arn: str) -> None:
        names = [a for page in ecs.get_paginator("list_services").paginate(cluster=arn)
                 for a in page["serviceArns"]]
        batches = [names[i:i + 10] for i in range(0, len(names), 10)]
        list(pool.map(lambda batch: ecs.describe_services(cluster=arn, services=batch), batches))

    with ThreadPoolExecutor(max_workers=POOL_SIZE) as pool:
        side = [pool.submit(alarms), pool.submit(rds.describe_db_instances), pool.submit(rds.describe_db_clusters)]
        arns = ecs.list_clusters()["clusterArns"]
        with ThreadPoolExecutor(max_workers=POOL_SIZE) as outer:
            list(outer.map(cluster, arns))
        for future in side:
            future.result()


def seed(clusters: int, services: int, alarms: int, databases: int) -> None:
    aws = Aws()
    create_services(aws, [ServiceSpec(f"cluster-{c:02d}", f"svc-{c:02d}-{s:03d}", 2, revisions=1)
                          for c in range(clusters) for s in range(services)], tasks=False)
    for index in range(alarms):
        put_alarm(aws, f"alarm-{index:04d}", "ALARM" if index % 20 == 0 else "OK")
    for index in range(databases):
        create_instance(aws, f"db-{index:03d}")
    aws.close()


def measure(clusters: int, services: int, alarms: int, databases: int, delay_ms: int, endpoint: str) -> dict:
    import os

    os.environ["AWS_ENDPOINT_URL"] = endpoint
    counted: list[str] = []
    plain_counted: list[str] = []
    app_aws = Aws(hooks=(lambda model=None, **_: counted.append(model.name),))
    plain_aws = Aws(hooks=(lambda model=None, **_: plain_counted.append(model.name),))
    asyncio.run(app_refresh(app_aws))  # warm the clients and connections
    plain_pool_refresh(plain_aws)
    counted.clear()
    plain_counted.clear()
    time.sleep(THROTTLE_WINDOW)
    asyncio.run(app_refresh(app_aws))
    plain_pool_refresh(plain_aws)
    calls, plain_calls = len(counted), len(plain_counted)
    app_times, pool_times = [], []
    for _ in range(RUNS):
        time.sleep(THROTTLE_WINDOW)
        start = time.perf_counter()
        asyncio.run(app_refresh(app_aws))
        app_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        plain_pool_refresh(plain_aws)
        pool_times.append(time.perf_counter() - start)
    app_aws.close()
    plain_aws.close()
    app_ms, pool_ms = statistics.median(app_times) * 1000, statistics.median(pool_times) * 1000
    return {
        "fleet": f"{clusters}x{services}", "alarms": alarms, "databases": databases, "delay_ms": delay_ms,
        "calls": calls, "plain_pool_calls": plain_calls,
        "minimal_calls_aws": minimal_calls(clusters, services, alarms, databases),
        "refresh_ms": round(app_ms, 1), "plain_pool_ms": round(pool_ms, 1), "ratio": round(app_ms / pool_ms, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fleets", default="4x10,20x25")
    parser.add_argument("--alarms", type=int, default=300)
    parser.add_argument("--databases", type=int, default=20)
    parser.add_argument("--delays", default="0,30", help="per-request delays in ms")
    args = parser.parse_args()
    moto = server.start()
    server.use_endpoint(moto.endpoint)
    fronts = {int(d): delayed_server(int(d) / 1000) for d in args.delays.split(",")}
    results = []
    for fleet in args.fleets.split(","):
        clusters, services = (int(n) for n in fleet.split("x"))
        import urllib.request

        urllib.request.urlopen(urllib.request.Request(f"{moto.endpoint}/moto-api/reset", method="POST")).read()
        server.use_endpoint(moto.endpoint)
        seed(clusters, services, args.alarms, args.databases)
        for delay_ms, (_, endpoint) in fronts.items():
            results.append(measure(clusters, services, args.alarms, args.databases, delay_ms, endpoint))
    print(json.dumps({"date": time.strftime("%Y-%m-%d"), "runs": RUNS, "results": results}, indent=2))


if __name__ == "__main__":
    main()
