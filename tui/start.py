"""What the commands share before they start (`warroom`, `warroom check`): the environment the options choose,
and the one-line reason when they cannot start."""

from __future__ import annotations

import argparse

from warroom.config import ConfigError, Environment, load


class StartError(Exception):
    """A reason warroom cannot start, said in one line."""


def environment_from(args: argparse.Namespace) -> Environment:
    """The environment the options choose: from the config file, with --profile and --region on top."""
    try:
        env = load(args.config, args.env)
    except ConfigError as exc:
        raise StartError(f"bad config: {exc}") from None
    overrides = {k: v for k, v in (("profile", args.profile), ("region", args.region)) if v}
    return Environment(**{**env.__dict__, **overrides}) if overrides else env
