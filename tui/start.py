"""What the commands share before they start (`warroom`, `warroom check`, `warroom timeline`): the environment
the options choose, the one-line reason when they cannot start, and one read against AWS for the one-shot
commands."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING, Awaitable, Callable, Sequence, Tuple, TypeVar

from warroom.config import ConfigError, Environment, load
from warroom.untrusted import clean

if TYPE_CHECKING:
    from warroom.data.aws import Aws
    from warroom.data.models import Identity

T = TypeVar("T")
Done = Tuple[T, Environment, "Identity"]  # what a read gave, where, as whom


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


def read_once(args: argparse.Namespace, what: str,
              work: Callable[[Aws, Environment, Identity], Awaitable[T]]) -> Done[T] | None:
    """Run `work` once against the environment the options choose, with its identity; None when it could not
    (a bad config, credentials that do not work, an unreachable endpoint), said in one line on stderr."""
    done = asyncio.run(_read(args, what, work))
    if isinstance(done, str):
        print(f"warroom: {done}", file=sys.stderr)
        return None
    return done


def read_each(args: argparse.Namespace, names: Sequence[str], what: str,
              work: Callable[[Aws, Environment, Identity], Awaitable[T]]) -> list[Done[T] | str]:
    """`read_once` for each named environment at once (each with its own connection and throttles): per name,
    in order, the result or the one-line reason it could not."""
    async def each() -> list[Done[T] | str]:
        return list(await asyncio.gather(*(_read(argparse.Namespace(**{**vars(args), "env": name}), what, work)
                                           for name in names)))
    return asyncio.run(each())


async def _read(args: argparse.Namespace, what: str,
                work: Callable[[Aws, Environment, Identity], Awaitable[T]]) -> Done[T] | str:
    from warroom.data.aws import Aws
    from warroom.data.errors import AwsError
    from warroom.data.identity import whoami

    try:
        env = environment_from(args)
        aws = Aws(env.profile, env.region)
        try:
            identity = await asyncio.to_thread(whoami, aws)
            return await work(aws, env, identity), env, identity
        finally:
            aws.close()
    except StartError as exc:
        return clean(str(exc))
    except AwsError as exc:
        return f"could not {what}: {clean(exc.message if exc.credentials else exc.one_line())}"
