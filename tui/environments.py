"""The environments warroom can switch to in one session: the config file's, then every AWS profile no
environment uses (as an environment of its own name, profile and region); how to connect to one (a new backend,
its caller identity asked of STS); and each configured environment's summary for the overview, read through a
connection of its own (its own throttles) kept for the session. Credentials are botocore's own resolution (keys,
`role_arn` + `source_profile`, SSO, `credential_process`); nothing here reads or writes them."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

from warroom.aws_backend import AwsBackend
from warroom.config import Environment, load_all
from warroom.data.aws import Aws
from warroom.data.identity import whoami
from warroom.data.models import Identity, Summary
from warroom.data.profiles import aws_profiles
from warroom.summary import read_summary


class Environments:
    """What the environment picker lists and the overview shows, and the accounts learnt so far."""

    def __init__(self, config: Path | None = None, *, listed: tuple[Environment, ...] | None = None) -> None:
        """Reads the config file now, before the app starts (raises ConfigError for a file that cannot be used);
        `listed`: these environments only, and no profiles (the demo's own)."""
        self.listed = listed
        self.configured = listed if listed is not None else tuple(load_all(config)[0].values())
        self.known: dict[tuple[str, str], Identity] = {}  # by (environment, region): who it was when connected
        self._summaries: dict[str, tuple[Aws, Identity]] = {}  # by environment: the overview's connections

    def several(self) -> bool:
        return len(self.configured) > 1

    def choices(self) -> tuple[Environment, ...]:
        """The configured environments, then the profiles no environment names (by name): reads the AWS config
        files, so run it in a thread."""
        envs = self.configured
        if self.listed is not None:
            return envs
        used = {env.profile for env in envs} | {env.name for env in envs}
        extra = (Environment(name=p.name, profile=p.name, region=p.region or None)
                 for p in aws_profiles() if p.name not in used)
        return (*envs, *extra)

    def identity(self, env: Environment) -> Identity | None:
        """Who the environment was when a connection told it this session (None before any)."""
        return self.known.get((env.name, env.region or ""))

    def remember(self, env: Environment, identity: Identity) -> None:
        self.known[(env.name, env.region or "")] = identity

    def connect(self, env: Environment, region: str | None = None) -> AwsBackend:
        """A backend for `env` (in `region` when given), its identity asked of STS: blocking, run it in a thread.
        Raises AwsError when the credentials do not work."""
        if region:
            env = replace(env, region=region)
        aws = Aws(env.profile, env.region)
        try:
            identity = whoami(aws)
        except BaseException:
            aws.close()
            raise
        self.remember(env, identity)
        return AwsBackend(aws, env, identity)

    async def summary(self, env: Environment) -> Summary:
        """The environment at a glance, through its overview connection (made, and STS asked, on first use)."""
        kept = self._summaries.get(env.name)
        if kept is None:
            aws = await asyncio.to_thread(Aws, env.profile, env.region)
            try:
                identity = await asyncio.to_thread(whoami, aws)
            except BaseException:
                aws.close()
                raise
            self.remember(env, identity)
            kept = self._summaries[env.name] = aws, identity
        aws, identity = kept
        return replace(await read_summary(aws, env.fleet), account=identity.account, region=identity.region)

    def close(self) -> None:
        for aws, _ in self._summaries.values():
            aws.close()
        self._summaries.clear()
