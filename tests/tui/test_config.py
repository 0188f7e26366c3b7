"""The config file: environments, defaults, and errors that name the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from warroom.config import ConfigError, load

GOOD = """\
default_env = "production"

[env.production]
profile = "prod"
region = "us-east-1"
clusters = ["omnirapeutic-production"]
alarm_prefix = "omnirapeutic-production"
read_only = true
production = true

[env.staging]
region = "eu-west-1"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_default_env_and_named_env(tmp_path):
    path = write(tmp_path, GOOD)
    prod = load(path, None)
    assert (prod.name, prod.profile, prod.clusters, prod.read_only, prod.production) == (
        "production", "prod", ("omnirapeutic-production",), True, True)
    assert load(path, "staging").region == "eu-west-1"


def test_no_file_at_the_default_path_means_discovery(tmp_path, monkeypatch):
    monkeypatch.setattr("warroom.config.default_path", lambda: tmp_path / "missing.toml")
    env = load(None, None)
    assert env.clusters == () and env.profile is None


@pytest.mark.parametrize("text, line, words", [
    ('[env.prod]\nregion = "us-east-1"\nclusters = "not-a-list"\n', 3, "list of strings"),
    ('[env.prod]\nregoin = "us-east-1"\n', 2, "unknown key env.prod.regoin"),
    ('[env.prod]\nread_only = "yes"\n', 2, "true or false"),
    ('[env.prod]\nregion = us-east-1\n', 2, "Invalid value"),
    ('default_env = "nope"\n[env.prod]\n', 1, "names no [env.NAME]"),
])
def test_bad_config_names_file_and_line(tmp_path, text, line, words):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load(path, None)
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert words in str(caught.value)


def test_unknown_env(tmp_path):
    with pytest.raises(ConfigError, match="no environment 'qa'"):
        load(write(tmp_path, GOOD), "qa")


def test_a_password_in_a_readable_file_is_refused_with_the_reason(tmp_path):
    path = write(tmp_path, '[env.prod.database]\nhost = "db"\npassword = "hunter2"\n')
    path.chmod(0o644)
    with pytest.raises(ConfigError) as failure:
        load(path, None)
    assert "readable by others (mode 644)" in str(failure.value) and "hunter2" not in str(failure.value)
    path.chmod(0o600)
    assert load(path, None).database == {"host": "db", "password": "hunter2"}


def test_a_password_inside_the_dsn_counts_too(tmp_path):
    path = write(tmp_path, '[env.prod.database]\ndsn = "postgresql://app:hunter2@db/orders"\n')
    path.chmod(0o640)
    with pytest.raises(ConfigError):
        load(path, None)


def test_caches_functions_and_tables_are_names_or_prefixes(tmp_path):
    env = load(write(tmp_path, '[env.prod]\ncaches = ["prod-redis"]\nfunctions = ["prod-*"]\n'), None)
    assert (env.dependencies.caches, env.dependencies.functions, env.dependencies.tables) == (
        ("prod-redis",), ("prod-*",), ())
    with pytest.raises(ConfigError, match=r"config.toml:2: env.prod.tables must be a list of strings"):
        load(write(tmp_path, '[env.prod]\ntables = "prod-sessions"\n'), None)


def test_the_module_docstrings_example_is_a_valid_config(tmp_path):
    import warroom.config

    example = warroom.config.__doc__.split("```toml\n")[1].split("```")[0]
    env = load(write(tmp_path, example), None)
    assert (env.name, env.functions, env.read_only) == ("production", ("omnirapeutic-production-*",), True)
    assert [(m.label, m.namespace, m.name, m.dimensions, m.statistic, m.threshold, m.above, m.unit)
            for m in env.metrics] == [("Axon errors", "axon-orbit/Axon", "ErrorCount", (("Service", "axon"),), "Sum",
                                       10.0, True, "count")]
