"""An HTTP server on loopback in front of moto that forwards every request unchanged, except four reads moto 5.2.5
does not serve (HTTP 500, or a wrong answer), which it answers itself in the services' wire protocols:

- CloudTrail LookupEvents (JSON 1.1), from the ECS, RDS, CloudWatch and Application Auto Scaling writes that went
  through it, each a management event with the caller's identity (the access key of the request's signature,
  mapped by `callers`, else as moto's GetCallerIdentity says);
- CloudWatch DescribeAlarmHistory (JSON 1.0, as botocore 1.44 sends it), from the alarm writes that went through
  it: the alarm's states before and after come from moto's DescribeAlarms;
- Application Auto Scaling DescribeScalingActivities (JSON 1.1), from `add_scaling_activity`;
- CloudWatch GetMetricData (JSON 1.0) when a query asks for a percentile (`p95`) or is metric math: moto's backend
  (same process) answers the other queries; a percentile is each period's percentile of the raw values put (Value,
  or Values with Counts; not StatisticValues), interpolated between the nearest two; an expression of query ids,
  numbers, + - * / and FILL(x, number) is computed from the results. Without either, GetMetricData is forwarded.

Recorded strings are the request's own. The four reads in a malformed body, query protocol or CBOR are forwarded
to moto; a write in a malformed body is forwarded and recorded without parameters.
"""

from __future__ import annotations

import ast
import base64
import http.client
import itertools
import json
import math
import operator
import re
import threading
import uuid
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

from moto.cloudwatch.models import MetricDatum, cloudwatch_backends
from moto.iam.models import get_account_id_from

from warroom.demo.server import ACCOUNT, REGION

HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}
KEPT = 10_000  # events, history items and activities each, oldest dropped first
TRAIL = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents"
CLOUDWATCH = "GraniteServiceVersion20100801."
HISTORY = CLOUDWATCH + "DescribeAlarmHistory"
METRIC_DATA = CLOUDWATCH + "GetMetricData"
PERCENTILE = re.compile(r"p(100|\d{1,2}(\.\d+)?)")
MATH = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
ACTIVITIES = "AnyScaleFrontendService.DescribeScalingActivities"
SOURCES = {"ecs": "ecs.amazonaws.com", "rds": "rds.amazonaws.com", "monitoring": "monitoring.amazonaws.com",
           "application-autoscaling": "application-autoscaling.amazonaws.com"}
READS = ("Describe", "List", "Get", "Lookup", "Filter", "Search")
DATA_EVENTS = {"PutMetricData"}  # CloudTrail logs it as a data event, never in LookupEvents
RESOURCES = {"cluster": "AWS::ECS::Cluster", "clusterName": "AWS::ECS::Cluster", "service": "AWS::ECS::Service",
             "serviceName": "AWS::ECS::Service", "taskDefinition": "AWS::ECS::TaskDefinition", "task": "AWS::ECS::Task",
             "DBInstanceIdentifier": "AWS::RDS::DBInstance", "DBClusterIdentifier": "AWS::RDS::DBCluster",
             "DBSnapshotIdentifier": "AWS::RDS::DBSnapshot", "AlarmName": "AWS::CloudWatch::Alarm",
             "AlarmNames": "AWS::CloudWatch::Alarm", "ResourceId": "AWS::ApplicationAutoScaling::ScalableTarget"}
LOOKUP_KEYS = {"EventId", "EventName", "ReadOnly", "Username", "ResourceType", "ResourceName", "EventSource",
               "AccessKeyId"}
ALARM_WRITES = {"SetAlarmState", "PutMetricAlarm", "PutCompositeAlarm", "EnableAlarmActions", "DisableAlarmActions",
                "DeleteAlarms"}
CREDENTIAL = re.compile(r"Credential=([^/,\s]*)/[^/,\s]*/([^/,\s]*)/([^/,\s]*)/")

Key = tuple[float, int]  # (epoch seconds, arrival): the order of every list, and what a NextToken names
Points = dict[datetime, float]  # a series: period start (naive UTC, as moto keeps it) → value
Filled = tuple[Points, float | None]  # a series and the value FILL puts where it has no point (a number: only that)


class Invalid(Exception):
    """A request the real service would refuse: answered with this error code."""


@dataclass
class Call:
    """One request as sent: its operation, parameters (None when the body is malformed), signer and region."""

    target: str
    service: str
    operation: str
    params: dict[str, Any] | None
    key: str
    region: str

    @classmethod
    def read(cls, handler: BaseHTTPRequestHandler, body: bytes) -> Call:
        scope = CREDENTIAL.search(handler.headers.get("Authorization", ""))
        key, region, service = scope.groups() if scope else ("", REGION, "")
        target = handler.headers.get("X-Amz-Target", "")
        if target:
            return cls(target, service, target.rsplit(".", 1)[-1], _json(body), key, region)
        form = _form(body) or {}
        action = form.pop("Action", None)
        if isinstance(action, str) and action:
            form.pop("Version", None)
            return cls("", service, action, form, key, region)
        return cls("", service, handler.path.split("?")[0].rsplit("/", 1)[-1], None, key, region)


class Responder:
    """Start with `Responder(moto_endpoint)`; point AWS_ENDPOINT_URL at `.endpoint`; `close()` at the end."""

    def __init__(self, upstream: str, callers: dict[str, str] | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> None:
        self.upstream = urlsplit(upstream)
        self.callers = dict(callers or {})
        self.clock = clock
        self.requests: Counter[str] = Counter()
        self._trail: deque[tuple[Key, dict[str, Any]]] = deque(maxlen=KEPT)
        self._history: deque[tuple[Key, dict[str, Any]]] = deque(maxlen=KEPT)
        self._activities: deque[tuple[Key, dict[str, Any]]] = deque(maxlen=KEPT)
        self._identities: dict[str, tuple[str, str]] = {}
        self._arrivals = itertools.count()
        self._lock = threading.Lock()
        self._alarm_lock = threading.Lock()  # an alarm write and the DescribeAlarms around it, one at a time
        self._answers = {TRAIL: self._lookup_events, HISTORY: self._alarm_history,
                         ACTIVITIES: self._scaling_activities}
        responder = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                responder._handle(self)

            do_GET = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_POST

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.endpoint = f"http://127.0.0.1:{self.server.server_port}"

    def add_scaling_activity(self, resource_id: str, description: str, cause: str, *, namespace: str = "ecs",
                             dimension: str = "ecs:service:DesiredCount", status: str = "Successful",
                             message: str = "", start: datetime | None = None, end: datetime | None = None) -> None:
        """One activity for DescribeScalingActivities (its StartTime defaults to now)."""
        started = start or self.clock()
        activity = {"ActivityId": str(uuid.uuid4()), "ServiceNamespace": namespace, "ResourceId": resource_id,
                    "ScalableDimension": dimension, "Description": description, "Cause": cause,
                    "StartTime": started.timestamp(), "StatusCode": status}
        if end:
            activity["EndTime"] = end.timestamp()
        if message:
            activity["StatusMessage"] = message
        self._keep(self._activities, started, activity)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _keep(self, into: deque[tuple[Key, dict[str, Any]]], at: datetime, item: dict[str, Any]) -> None:
        with self._lock:
            into.append(((at.timestamp(), next(self._arrivals)), item))

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        try:
            length = int(handler.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        body = handler.rfile.read(length)
        call = Call.read(handler, body)
        with self._lock:
            self.requests[call.operation] += 1
        answer = self._answer(call)
        if answer is not None and call.params is not None:
            json_1_0 = call.target.startswith(CLOUDWATCH)
            kind = "application/x-amz-json-1.0" if json_1_0 else "application/x-amz-json-1.1"
            own = [("x-amzn-RequestId", str(uuid.uuid4())), ("Date", handler.date_time_string())]
            try:
                _reply(handler, 200, json.dumps(answer(call.params)).encode(), kind, own)
            except (Invalid, AttributeError, TypeError, KeyError, ValueError, ArithmeticError,
                    RecursionError) as exc:  # a bad member
                code, message = exc.args if isinstance(exc, Invalid) else ("SerializationException", "Bad request.")
                query_error = [("x-amzn-query-error", f"{code};Sender")] if json_1_0 else []
                _reply(handler, 400, json.dumps({"__type": code, "message": message}).encode(), kind, own + query_error)
            return
        at = self.clock()
        known = bool(call.target) or call.params is not None  # a malformed JSON body still names its operation
        recorded = known and call.service in SOURCES and not call.operation.startswith(READS) \
            and call.operation not in DATA_EVENTS
        alarms = recorded and call.service == "monitoring" and call.operation in ALARM_WRITES
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in HOP}
        try:
            if alarms:
                names = _strings(call.params or {}, "AlarmName") + _strings(call.params or {}, "AlarmNames")
                with self._alarm_lock:
                    before = self._describe_alarms(headers, names)
                    status, data, extra = self._forward(handler.command, handler.path, body, headers)
                    after = self._describe_alarms(headers, names) if status < 300 else {}
                if status < 300:
                    self._record_alarms(call, names, before, after, at)
            else:
                status, data, extra = self._forward(handler.command, handler.path, body, headers)
        except (OSError, http.client.HTTPException):
            handler.close_connection = True
            return
        if recorded:
            self._record_event(call, handler, status, data, {k.lower(): v for k, v in extra}, at)
        kind = next((v for k, v in extra if k.lower() == "content-type"), "text/plain")
        _reply(handler, status, data, kind, [(k, v) for k, v in extra if k.lower() not in HOP | {"content-type"}])

    def _answer(self, call: Call) -> Callable[[dict[str, Any]], dict[str, Any]] | None:
        """What answers the call here; None when moto does."""
        if call.target != METRIC_DATA:
            return self._answers.get(call.target)
        if not _computed(call.params or {}):
            return None
        return partial(_metric_data, call)

    def _forward(self, method: str, path: str, body: bytes,
                 headers: dict[str, str]) -> tuple[int, bytes, list[tuple[str, str]]]:
        upstream = http.client.HTTPConnection(self.upstream.hostname or "127.0.0.1", self.upstream.port, timeout=30)
        try:
            upstream.request(method, path, body=body, headers=headers)
            response = upstream.getresponse()
            return response.status, response.read(), response.getheaders()
        finally:
            upstream.close()

    def _describe_alarms(self, headers: dict[str, str], names: list[str]) -> dict[str, dict[str, Any]]:
        """moto's view of these alarms (signed as the write was, so the same account and region)."""
        if not names:
            return {}
        ask = {k: v for k, v in headers.items() if k.lower() not in {"content-type", "x-amz-target"}}
        ask.update({"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": CLOUDWATCH + "DescribeAlarms",
                    "x-amzn-query-mode": "true"})
        body = json.dumps({"AlarmNames": names[:100], "AlarmTypes": ["MetricAlarm", "CompositeAlarm"]}).encode()
        status, data, _ = self._forward("POST", "/", body, ask)
        page = _json(data) if status == 200 else None
        return {alarm["AlarmName"]: {**alarm, "AlarmType": kind} for kind in ("MetricAlarm", "CompositeAlarm")
                for alarm in (page or {}).get(kind + "s") or () if isinstance(alarm, dict) and "AlarmName" in alarm}

    def _record_alarms(self, call: Call, names: list[str], before: dict[str, dict[str, Any]],
                       after: dict[str, dict[str, Any]], at: datetime) -> None:
        for name in dict.fromkeys(names):
            old, new = before.get(name), after.get(name)
            kind = (new or old or {}).get("AlarmType", "MetricAlarm")
            item = {"AlarmName": name, "AlarmType": kind, "Timestamp": at.timestamp()}
            config: dict[str, Any] | None = None
            if call.operation.startswith("Put"):
                config = {"type": "Update", "updatedAlarm": call.params} if old else \
                    {"type": "Create", "createdAlarm": call.params}
            elif old and call.operation == "DeleteAlarms":
                config = {"type": "Delete", "deletedAlarm": {"alarmName": name}}
            elif old and new and call.operation.endswith("AlarmActions"):
                config = {"type": "Update", "originalUpdatedFields": {"actionsEnabled": old.get("ActionsEnabled")},
                          "updatedAlarm": {"actionsEnabled": new.get("ActionsEnabled")}}
            if config:
                verb = config["type"].lower() + "d"
                self._keep(self._history, at, {**item, "HistoryItemType": "ConfigurationUpdate",
                                               "HistorySummary": f'Alarm "{name}" {verb}',
                                               "HistoryData": json.dumps({"version": "1.0", **config})})
            if old and new and old.get("StateValue") != new.get("StateValue"):
                states = {side: {"stateValue": alarm.get("StateValue"), "stateReason": alarm.get("StateReason")}
                          for side, alarm in (("oldState", old), ("newState", new))}
                self._keep(self._history, at, {
                    **item, "HistoryItemType": "StateUpdate",
                    "HistorySummary": f"Alarm updated from {old.get('StateValue')} to {new.get('StateValue')}",
                    "HistoryData": json.dumps({"version": "1.0", **states})})

    def _caller(self, call: Call) -> tuple[str, str]:
        """(ARN, principal ID) of the access key: from `callers`, else moto's GetCallerIdentity (asked once)."""
        if call.key in self.callers:
            return self.callers[call.key], ""
        with self._lock:
            known = self._identities.get(call.key)
        if known:
            return known
        ask = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
               "Authorization": f"AWS4-HMAC-SHA256 Credential={call.key}/20000101/{call.region}/sts/aws4_request, "
                                "SignedHeaders=host, Signature=0"}
        try:
            status, data, _ = self._forward("POST", "/", b"Action=GetCallerIdentity&Version=2011-06-15", ask)
            found = _xml(data, "Arn", "UserId") if status == 200 else {}
        except (OSError, ValueError, http.client.HTTPException):
            found = {}
        known = (found.get("Arn") or f"arn:aws:sts::{ACCOUNT}:user/moto", found.get("UserId", ""))
        with self._lock:
            self._identities[call.key] = known
        return known

    def _record_event(self, call: Call, handler: BaseHTTPRequestHandler, status: int, data: bytes,
                      headers: dict[str, str], at: datetime) -> None:
        identity, username = _identity(*self._caller(call), call.key)
        record: dict[str, Any] = {
            "eventVersion": "1.09", "userIdentity": identity,
            "eventTime": at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "eventSource": SOURCES[call.service], "eventName": call.operation, "awsRegion": call.region,
            "sourceIPAddress": handler.client_address[0], "userAgent": _utf8(handler.headers.get("User-Agent", "")),
        }
        if status >= 300:
            code, message = _error(data)
            record.update(errorCode=code or "InternalFailure", errorMessage=message or f"HTTP {status}")
        event_id = str(uuid.uuid4())
        record.update(requestParameters=call.params, responseElements=None,
                      requestID=headers.get("x-amzn-requestid") or _xml(data, "RequestId").get("RequestId")
                      or str(uuid.uuid4()),
                      eventID=event_id, readOnly=False, eventType="AwsApiCall", managementEvent=True,
                      recipientAccountId=identity["accountId"], eventCategory="Management")
        resources = [{"ResourceType": kind, "ResourceName": name} for field, kind in RESOURCES.items()
                     for name in _strings(call.params or {}, field)]
        self._keep(self._trail, at, {
            "EventId": event_id, "EventName": call.operation, "ReadOnly": "false", "AccessKeyId": call.key,
            "EventTime": at.timestamp(), "EventSource": SOURCES[call.service], "Username": username,
            "Resources": resources, "CloudTrailEvent": json.dumps(record)})

    def _lookup_events(self, params: dict[str, Any]) -> dict[str, Any]:
        attributes = params.get("LookupAttributes") or []
        if not isinstance(attributes, list) or len(attributes) > 1:
            raise Invalid("InvalidLookupAttributesException", "Only one lookup attribute is allowed.")
        key, value = (attributes[0].get("AttributeKey"), attributes[0].get("AttributeValue")) if attributes \
            else (None, None)
        if attributes and key not in LOOKUP_KEYS:
            raise Invalid("InvalidLookupAttributesException", "The lookup attribute key is not valid.")

        def match(event: dict[str, Any]) -> bool:
            if key in ("ResourceName", "ResourceType"):
                return any(r[key] == value for r in event["Resources"])
            return key is None or event.get(key) == value

        limit = _limit(params.get("MaxResults"), 50, 50, "InvalidMaxResultsException")
        window = _window(params.get("StartTime"), params.get("EndTime"), "InvalidTimeRangeException")
        with self._lock:
            events = [(k, e) for k, e in self._trail if window(k) and match(e)]
        page, token = _page(events, params.get("NextToken"), limit, False, "InvalidNextTokenException")
        return {"Events": page, **({"NextToken": token} if token else {})}

    def _alarm_history(self, params: dict[str, Any]) -> dict[str, Any]:
        types = params.get("AlarmTypes") or ["MetricAlarm"]  # as on AWS: only metric alarms unless asked
        name, kind = params.get("AlarmName"), params.get("HistoryItemType")
        scan = params.get("ScanBy") or "TimestampDescending"
        if scan not in ("TimestampDescending", "TimestampAscending") or not isinstance(types, list):
            raise Invalid("InvalidParameterValue", "ScanBy or AlarmTypes is not valid.")
        limit = _limit(params.get("MaxRecords"), 100, 100, "InvalidParameterValue")
        window = _window(params.get("StartDate"), params.get("EndDate"), "InvalidParameterValue")
        with self._lock:
            items = [(k, i) for k, i in self._history if window(k) and i["AlarmType"] in types
                     and name in (None, i["AlarmName"]) and kind in (None, i["HistoryItemType"])]
        page, token = _page(items, params.get("NextToken"), limit, scan == "TimestampAscending", "InvalidNextToken")
        return {"AlarmHistoryItems": page, **({"NextToken": token} if token else {})}

    def _scaling_activities(self, params: dict[str, Any]) -> dict[str, Any]:
        wanted = {field: params.get(field) for field in ("ServiceNamespace", "ResourceId", "ScalableDimension")}
        if not wanted["ServiceNamespace"]:
            raise Invalid("ValidationException", "ServiceNamespace is required.")
        limit = _limit(params.get("MaxResults"), 50, 50, "ValidationException")
        with self._lock:
            found = [(k, a) for k, a in self._activities
                     if all(v is None or a[f] == v for f, v in wanted.items())]
        page, token = _page(found, params.get("NextToken"), limit, False, "InvalidNextTokenException")
        return {"ScalingActivities": page, **({"NextToken": token} if token else {})}


def _percentile(query: Any) -> float | None:
    """The percentile a query's MetricStat asks for (95.0 for `p95`); None for any other stat."""
    stat = query.get("MetricStat") if isinstance(query, dict) else None
    found = PERCENTILE.fullmatch(str(stat.get("Stat"))) if isinstance(stat, dict) else None
    return float(found.group(1)) if found else None


def _math(query: Any) -> bool:
    """A metric math expression (a Metrics Insights SELECT is moto's)."""
    expression = query.get("Expression") if isinstance(query, dict) else None
    return isinstance(expression, str) and not expression.lstrip().upper().startswith("SELECT")


def _computed(params: dict[str, Any]) -> bool:
    queries = params.get("MetricDataQueries")
    return isinstance(queries, list) and any(_percentile(q) is not None or _math(q) for q in queries)


def _metric_data(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """GetMetricData: moto's backend (the caller's account and region) answers the plain queries (all of them, for
    the expressions), the percentiles come from its raw datapoints, then the expressions; in the order asked, the
    ones with ReturnData."""
    backend = cloudwatch_backends[get_account_id_from(call.key)][call.region]
    start, end = _utc(params["StartTime"]), _utc(params["EndTime"])
    if start >= end:
        raise Invalid("ValidationError", "The parameter EndTime must be greater than StartTime.")
    queries = params["MetricDataQueries"]
    plain = [{**q, "ReturnData": True} for q in queries if _percentile(q) is None and not _math(q)]
    found = {r["id"]: {t: float(v) for t, v in zip(r["timestamps"], r["values"]) if v is not None}
             for r in backend.get_metric_data(plain, start, end)}
    raw = [d for d in list(backend.metric_data) if isinstance(d, MetricDatum) and start <= d.timestamp < end]
    found.update({q["Id"]: _percentiles(raw, q["MetricStat"], rank, start)
                  for q in queries if (rank := _percentile(q)) is not None})
    _expressions(found, {q["Id"]: q["Expression"] for q in queries if _math(q)})
    descending = params.get("ScanBy", "TimestampDescending") != "TimestampAscending"
    results = []
    for query in queries:
        if query.get("ReturnData", True):
            stat = query.get("MetricStat")
            points = sorted(found[query["Id"]].items(), reverse=descending)
            results.append({"Id": query["Id"], "StatusCode": "Complete",
                            "Label": query.get("Label") or (f"{stat['Metric']['MetricName']} {stat['Stat']}"
                                                            if stat else query["Id"]),
                            "Timestamps": [at.replace(tzinfo=timezone.utc).timestamp() for at, _ in points],
                            "Values": [value for _, value in points]})
    return {"MetricDataResults": results, "Messages": []}


def _utc(value: Any) -> datetime:
    """A JSON timestamp as moto keeps one: naive UTC, whole seconds."""
    seconds = _seconds(value, "ValidationError")
    if seconds is None:
        raise Invalid("ValidationError", "StartTime and EndTime are required.")
    return datetime.fromtimestamp(seconds, timezone.utc).replace(tzinfo=None, microsecond=0)


def _percentiles(raw: list[MetricDatum], stat: dict[str, Any], rank: float, start: datetime) -> Points:
    """Each period's `rank` percentile of the values put for the metric, its exact dimensions and unit."""
    metric, period = stat["Metric"], timedelta(seconds=int(stat["Period"]))
    dimensions = {(d["Name"], d["Value"]) for d in metric.get("Dimensions") or ()}
    periods: dict[datetime, list[float]] = {}
    for datum in raw:
        if (datum.namespace, datum.name) == (metric["Namespace"], metric["MetricName"]) \
                and stat.get("Unit") in (None, datum.unit) \
                and {(d.name, d.value) for d in datum.dimensions} == dimensions:
            periods.setdefault(start + (datum.timestamp - start) // period * period, []).append(datum.value)
    return {at: _interpolated(sorted(values), rank) for at, values in periods.items()}


def _interpolated(values: list[float], rank: float) -> float:
    """The `rank` percentile of sorted values, between the two nearest (as numpy's default): p95 of 1..11 is 10.5."""
    position = (len(values) - 1) * rank / 100
    low = math.floor(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def _expressions(found: dict[str, Points], expressions: dict[str, str]) -> None:
    """Each expression's series into `found`, after the ones it names."""
    def series(name: str, pending: frozenset[str] = frozenset()) -> Points:
        if name not in found:
            if name not in expressions or name in pending:
                raise Invalid("ValidationError", f"Unknown or circular id in an expression: {name}")
            try:
                tree = ast.parse(expressions[name], mode="eval").body
            except SyntaxError:
                raise Invalid("ValidationError", f"Error in expression {name}: not valid") from None
            found[name] = _evaluate(tree, lambda other: series(other, pending | {name}))[0]
        return found[name]

    for name in expressions:
        series(name)


def _evaluate(node: ast.AST, series: Callable[[str], Points]) -> Filled:
    """A timestamp's value where both sides of an operator have one (or FILL's); dividing by zero drops it."""
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return {}, float(node.value)
    if isinstance(node, ast.Name):
        return series(node.id), None
    if isinstance(node, ast.BinOp) and type(node.op) in MATH:
        return _combine(_evaluate(node.left, series), _evaluate(node.right, series), MATH[type(node.op)])
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "FILL" \
            and len(node.args) == 2 and not node.keywords:
        (points, _), (number, value) = _evaluate(node.args[0], series), _evaluate(node.args[1], series)
        if not number and value is not None:  # a number: no points, only a value
            return points, value
    raise Invalid("ValidationError", f"Unsupported metric math: {ast.unparse(node)}")


def _combine(left: Filled, right: Filled, op: Callable[[float, float], float]) -> Filled:
    (first, first_fill), (second, second_fill) = left, right
    points = {at: _apply(op, first.get(at, first_fill), second.get(at, second_fill))
              for at in first.keys() | second.keys()}
    return {at: v for at, v in points.items() if v is not None}, _apply(op, first_fill, second_fill)


def _apply(op: Callable[[float, float], float], x: float | None, y: float | None) -> float | None:
    try:
        return None if x is None or y is None else op(x, y)
    except ZeroDivisionError:
        return None


def _json(body: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(body or b"{}")
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _form(body: bytes) -> dict[str, Any] | None:
    """A form body as a dict: one value a string, a repeated name a list."""
    try:
        fields = parse_qs(body.decode("ascii"), keep_blank_values=True, errors="strict")
    except ValueError:
        return None
    return {k: v[0] if len(v) == 1 else v for k, v in fields.items()}


def _xml(data: bytes, *names: str) -> dict[str, str]:
    """The first element of each name (any namespace) in an XML body; nothing when it is not XML."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return {}
    found: dict[str, str] = {}
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
        if tag in names and tag not in found:
            found[tag] = element.text or ""
    return found


def _error(data: bytes) -> tuple[str, str]:
    """(code, message) of an error answer in the JSON or the query protocol."""
    body = _json(data)
    if body is not None:
        return str(body.get("__type", "")).rsplit("#", 1)[-1], str(body.get("message", body.get("Message", "")))
    fields = _xml(data, "Code", "Message")
    return fields.get("Code", ""), fields.get("Message", "")


def _utf8(header: str) -> str:
    """A header value as sent: http.server reads its bytes as latin-1, botocore writes UTF-8."""
    try:
        return header.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return header


def _strings(params: dict[str, Any], field: str) -> list[str]:
    """The string values of a member, a list member, or its query-protocol form (`field.member.N`)."""
    values = [params.get(field)] + [v for k, v in params.items() if k.startswith(f"{field}.member.")]
    flat = [item for value in values for item in (value if isinstance(value, list) else [value])]
    return [item for item in flat if isinstance(item, str)]


def _identity(arn: str, principal: str, key: str) -> tuple[dict[str, Any], str]:
    """CloudTrail's userIdentity for an ARN, and the Username LookupEvents shows."""
    parts = arn.split(":", 5) + [""] * 5
    partition, account, resource = parts[1] or "aws", parts[4] or ACCOUNT, parts[5]
    identity: dict[str, Any] = {"arn": arn, "accountId": account, "accessKeyId": key}
    if principal:
        identity["principalId"] = principal
    if resource.startswith("assumed-role/"):
        role, _, session = resource[len("assumed-role/"):].partition("/")
        issuer = {"type": "Role", "arn": f"arn:{partition}:iam::{account}:role/{role}", "accountId": account,
                  "userName": role}
        if principal:
            issuer["principalId"] = principal.split(":")[0]
        identity = {"type": "AssumedRole", **identity, "sessionContext": {
            "sessionIssuer": issuer, "webIdFederationData": {}, "attributes": {"mfaAuthenticated": "false"}}}
        return identity, session or role
    if resource == "root":
        return {"type": "Root", **identity}, "root"
    name = resource.rsplit("/", 1)[-1]
    return {"type": "IAMUser", **identity, "userName": name}, name


def _limit(value: Any, default: int, most: int, code: str) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= most:
        raise Invalid(code, f"The maximum number of results must be between 1 and {most}.")
    return value


def _seconds(value: Any, code: str) -> float | None:
    """A JSON timestamp (epoch seconds, or an ISO 8601 string) as epoch seconds."""
    if value is None:
        return None
    try:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        return (when if when.tzinfo else when.replace(tzinfo=timezone.utc)).timestamp()
    except (ValueError, OverflowError):
        raise Invalid(code, "The time is not valid.") from None


def _window(start: Any, end: Any, code: str) -> Callable[[Key], bool]:
    first, last = _seconds(start, code), _seconds(end, code)
    if first is not None and last is not None and first > last:
        raise Invalid(code, "The start time must not be after the end time.")
    return lambda key: (first is None or key[0] >= first) and (last is None or key[0] <= last)


def _page(items: list[tuple[Key, dict[str, Any]]], token: Any, limit: int, ascending: bool,
          code: str) -> tuple[list[dict[str, Any]], str | None]:
    """One page in time order, and the token naming the last item given (later writes do not shift pages)."""
    items = sorted(items, key=lambda item: item[0], reverse=not ascending)
    if token is not None:
        try:
            seconds, arrival = json.loads(base64.urlsafe_b64decode(str(token).encode()))
            cursor = (float(seconds), int(arrival))
        except (ValueError, TypeError, OverflowError, RecursionError):
            raise Invalid(code, "The NextToken is not valid.") from None
        items = [item for item in items if (item[0] > cursor if ascending else item[0] < cursor)]
    page = items[:limit]
    token = base64.urlsafe_b64encode(json.dumps(page[-1][0]).encode()).decode() if len(items) > limit else None
    return [item for _, item in page], token


def _reply(handler: BaseHTTPRequestHandler, status: int, data: bytes, kind: str,
           extra: list[tuple[str, str]]) -> None:
    try:
        handler.send_response_only(status)  # moto's own Date and Server headers, not a second pair
        for key, value in extra:
            handler.send_header(key, value)
        handler.send_header("Content-Type", kind)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(data)
    except OSError:
        pass  # the client gave up
