"""The backend seam: the AWS backend and the snapshots' fixed fleet answer everything the protocol names."""

from __future__ import annotations

from warroom.aws_backend import AwsBackend
from warroom.backend import Backend
from warroom.config import Environment
from warroom.data.aws import Aws
from warroom.data.models import Identity

from tests.snapshot_app import FixtureBackend


def members(protocol: type) -> set[str]:
    names = {name for name in vars(protocol) if not name.startswith("_")}
    return names | set(getattr(protocol, "__annotations__", {}))


def test_both_backends_have_every_member_of_the_protocol():
    identity = Identity("123456789012", "arn:aws:sts::123456789012:user/t", "us-east-1")
    for backend in (AwsBackend(Aws(region="us-east-1"), Environment(name="t"), identity), FixtureBackend()):
        missing = {name for name in members(Backend) if not hasattr(backend, name)}
        assert missing == set(), type(backend).__name__
