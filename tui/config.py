"""The config file: named environments (profile, region, scope, read-only), read from TOML.

```toml
default_env = "production"

[env.production]
profile = "prod"            # AWS profile; omit to use the standard credential chain
region = "us-east-1"
clusters = ["omnirapeutic-production"]   # omit to discover every cluster in the region
services = ["omnirapeutic-production-api"]  # omit for every service of those clusters
alarm_prefix = "omnirapeutic-production"
log_groups = ["/ecs/omnirapeutic-production/api"]  # what `L` tails; omit to pick groups by prefix
log_lines = 10000          # lines kept per log tail
databases = ["omnirapeutic-production"]
caches = ["omnirapeutic-production-redis"]  # ElastiCache replication groups; omit for every one in the region
functions = ["omnirapeutic-production-*"]   # Lambda functions: a trailing * makes the entry a name prefix
tables = ["omnirapeutic-production-*"]      # DynamoDB tables; of each kind, the first 50 that match are read
read_only = true
production = true

[[env.production.metrics]]  # a custom metric, one table each; judged by its latest minute of the last hour
label = "Axon errors"       # omit for the metric's name
namespace = "axon-orbit/Axon"
name = "ErrorCount"
dimensions = { Service = "axon" }  # omit for none
statistic = "Sum"           # the default; Average, Minimum, Maximum, SampleCount, or a percentile like p99
threshold = 10              # omit to show the value without judging it
above = true                # the default: a problem above the threshold; false: below it
unit = "count"              # how to say its values: "count", "%", "ms"…
```
"""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import platformdirs

from warroom.data.custom_metrics import DIMENSIONS, MOST, STATISTICS, CustomMetric, valid_statistic
from warroom.data.dependency_models import DependencyScope
from warroom.data.models import Fleet
from warroom.notify import KINDS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

APP_NAME = "warroom"


class ConfigError(Exception):
    """A config file that cannot be used: says which file and line."""


@dataclass(frozen=True)
class Environment:
    """One named environment of the config file (or the defaults when there is none)."""

    name: str = "default"
    profile: str | None = None
    region: str | None = None
    clusters: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    alarm_prefix: str = ""
    log_groups: tuple[str, ...] = ()
    databases: tuple[str, ...] = ()
    caches: tuple[str, ...] = ()
    functions: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()
    read_only: bool = False
    production: bool = False
    log_lines: int = 10_000
    notify: str = "off"  # warroom.notify.KINDS
    database: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    metrics: tuple[CustomMetric, ...] = ()

    @property
    def fleet(self) -> Fleet:
        """What to read: the clusters, services, alarm prefix and databases it names (empty means all)."""
        return Fleet(self.clusters, self.services, self.alarm_prefix, self.databases)

    @property
    def dependencies(self) -> DependencyScope:
        """Which caches, functions and tables to read: names, or prefixes ending in `*` (empty means all)."""
        return DependencyScope(self.caches, self.functions, self.tables)


_STRINGS = ("profile", "region", "alarm_prefix")
_LISTS = ("clusters", "services", "log_groups", "databases", "caches", "functions", "tables")
_BOOLS = ("read_only", "production")
_INTS = ("log_lines",)
_TABLES = ("database",)
_CHOICES = {"notify": KINDS}
_TOP = ("default_env", "env")
_METRIC_KEYS: dict[str, tuple[Callable[[Any], bool], str]] = {  # [[env.NAME.metrics]]: key → (valid, what it must be)
    "label": (lambda v: isinstance(v, str), "a string"),
    "namespace": (lambda v: isinstance(v, str) and v != "", "a non-empty string"),
    "name": (lambda v: isinstance(v, str) and v != "", "a non-empty string"),
    "dimensions": (lambda v: isinstance(v, dict) and len(v) <= DIMENSIONS
                   and all(isinstance(x, str) and x for x in v.values()),
                   f"a table of at most {DIMENSIONS} dimension names to non-empty strings"),
    "statistic": (lambda v: isinstance(v, str) and valid_statistic(v),
                  f"{', '.join(STATISTICS)} or a percentile like p99 or p99.9"),
    "threshold": (lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v), "a number"),
    "above": (lambda v: isinstance(v, bool), "true or false"),
    "unit": (lambda v: isinstance(v, str), "a string"),
}


def default_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def _line_of(source: str, *needles: str) -> int:
    """The first line (1-based) where the needles appear in order, as the best pointer for a semantic error; an array
    of tables' header repeated is its next occurrence (`[[env.prod.metrics]]` twice: the array's second table)."""
    lines = source.splitlines()
    start = 0
    previous = None
    for needle in needles:
        pattern = re.compile(rf"(^|[\s.\[\"']){re.escape(needle)}([\s.\]\"'=]|$)")
        for index in range(start + (needle == previous and needle.startswith("[[")), len(lines)):
            if pattern.search(lines[index]):
                start = index
                break
        previous = needle
    return start + 1


def _check_env(name: str, raw: Any, fail: Any) -> Environment:
    if not isinstance(raw, dict):
        fail(f"[env.{name}] must be a table", "env", name)
    values: dict[str, Any] = {"name": name}
    for key, value in raw.items():
        if key in _STRINGS:
            if not isinstance(value, str):
                fail(f"env.{name}.{key} must be a string", name, key)
            values[key] = value
        elif key in _LISTS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                fail(f"env.{name}.{key} must be a list of strings", name, key)
            values[key] = tuple(value)
        elif key in _BOOLS:
            if not isinstance(value, bool):
                fail(f"env.{name}.{key} must be true or false", name, key)
            values[key] = value
        elif key in _INTS:
            if not isinstance(value, int) or isinstance(value, bool) or value < 100:
                fail(f"env.{name}.{key} must be a whole number of at least 100", name, key)
            values[key] = value
        elif key in _CHOICES:
            if value not in _CHOICES[key]:
                fail(f"env.{name}.{key} must be one of {', '.join(map(repr, _CHOICES[key]))}", name, key)
            values[key] = value
        elif key in _TABLES:
            if not isinstance(value, dict):
                fail(f"env.{name}.{key} must be a table", name, key)
            values[key] = dict(value)
        elif key == "metrics":
            values[key] = _check_metrics(name, value, fail)
        else:
            known = ", ".join(_STRINGS + _LISTS + _BOOLS + _INTS + tuple(_CHOICES) + _TABLES + ("metrics",))
            fail(f"unknown key env.{name}.{key} (known: {known})", name, key)
    return Environment(**values)


def _check_metrics(env: str, raw: Any, fail: Any) -> tuple[CustomMetric, ...]:
    """[[env.NAME.metrics]]: at most MOST tables."""
    if not isinstance(raw, list):
        fail(f"env.{env}.metrics must be an array of tables: [[env.{env}.metrics]]", env, "metrics")
    if len(raw) > MOST:
        fail(f"env.{env}.metrics: {len(raw)} metrics, more than {MOST} (one GetMetricData call reads them)", env,
             "metrics")
    return tuple(_check_metric(env, index, entry, fail) for index, entry in enumerate(raw))


def _check_metric(env: str, index: int, raw: Any, fail: Any) -> CustomMetric:
    """One [[env.NAME.metrics]] table: errors point at its line (the index-th header of that array) or its key's."""
    where, needles = f"env.{env}.metrics[{index}]", (env, *[f"[[env.{env}.metrics]]"] * (index + 1))
    if not isinstance(raw, dict):
        fail(f"{where} must be a table", env, "metrics")
    for key, value in raw.items():
        if key not in _METRIC_KEYS:
            fail(f"unknown key {where}.{key} (known: {', '.join(_METRIC_KEYS)})", *needles, key)
        valid, what = _METRIC_KEYS[key]
        if not valid(value):
            fail(f"{where}.{key} must be {what}", *needles, key)
    missing = [key for key in ("namespace", "name") if key not in raw]
    if missing:
        fail(f"{where} needs {' and '.join(missing)}", *needles)
    values = dict(raw, label=raw.get("label") or raw["name"], dimensions=tuple(raw.get("dimensions", {}).items()))
    if "threshold" in raw:
        values["threshold"] = float(raw["threshold"])
    return CustomMetric(**values)


def parse(source: str, path: Path) -> tuple[dict[str, Environment], str | None]:
    """The environments of a config file's text, and the default environment's name."""
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _line_from_message(str(exc))
        reason = getattr(exc, "msg", None) or re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ConfigError(f"{path}:{line}: {reason}") from None

    def fail(message: str, *needles: str) -> None:
        raise ConfigError(f"{path}:{_line_of(source, *needles)}: {message}")

    for key in data:
        if key not in _TOP:
            fail(f"unknown top-level key {key!r} (known: default_env, [env.NAME])", key)
    envs_raw = data.get("env", {})
    if not isinstance(envs_raw, dict):
        fail("env must be a table of [env.NAME] tables", "env")
    envs = {name: _check_env(name, raw, fail) for name, raw in envs_raw.items()}
    default = data.get("default_env")
    if default is not None and (not isinstance(default, str) or default not in envs):
        fail(f"default_env {default!r} names no [env.NAME] table", "default_env")
    return envs, default


def _line_from_message(message: str) -> int:
    found = re.search(r"line (\d+)", message)
    return int(found.group(1)) if found else 1


def load_all(path: Path | None) -> tuple[dict[str, Environment], str | None]:
    """Every environment of the config file and the default one's name; none when there is no file at the
    default path (an explicit path that does not exist is an error)."""
    explicit = path is not None
    path = path or default_path()
    if not path.exists():
        if explicit:
            raise ConfigError(f"{path}: no such config file")
        return {}, None
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    envs, default = parse(source, path)
    _check_secret_safe(path, envs.values())
    return envs, default


def load(path: Path | None, env_name: str | None) -> Environment:
    """The chosen environment. No file at the default path means discovery with the credential chain."""
    envs, default = load_all(path)
    path = path or default_path()
    if env_name and not path.exists():
        raise ConfigError(f"--env {env_name}: no config file at {path} defines environments")
    name = env_name or default or (next(iter(envs)) if len(envs) == 1 else None)
    if name is None:
        if envs:
            raise ConfigError(f"{path}: several environments ({', '.join(envs)}); choose one with --env")
        return Environment()
    if name not in envs:
        raise ConfigError(f"{path}: no environment {name!r} (have: {', '.join(envs) or 'none'})")
    return envs[name]


def _check_secret_safe(path: Path, envs: Any) -> None:
    """A file that holds a database password must be readable by its owner only."""
    from warroom.data.pg_settings import SettingsError, settings_from

    for env in envs:
        try:
            settings = settings_from(env.database)
            has_password = bool(settings.password or dict(settings.params).get("sslpassword"))
        except SettingsError:
            continue  # reported with its reason when the environment is used
        mode = path.stat().st_mode & 0o777
        if has_password and mode & 0o077:
            raise ConfigError(f"{path}: holds a database password (env.{env.name}.database) but is readable by "
                              f"others (mode {mode:o}): chmod 600 {path}, or use secret_id, iam_auth or ~/.pgpass")
