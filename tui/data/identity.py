"""Who we are: STS caller identity, read once before the app starts (so a bad credential is one clear line)."""

from __future__ import annotations

from warroom.data.aws import Aws
from warroom.data.errors import map_error
from warroom.data.models import Identity
from warroom.data.parse import text


def whoami(aws: Aws) -> Identity:
    """GetCallerIdentity, synchronously; raises AwsError (no credentials, unknown profile, unreachable...)."""
    try:
        response = aws.client("sts").get_caller_identity()
    except Exception as exc:
        raise map_error(exc, "GetCallerIdentity") from None
    return Identity(account=text(response.get("Account")), arn=text(response.get("Arn")), region=aws.region)
