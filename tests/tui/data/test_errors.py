"""Failures become one AwsError with AWS's code and message (or ours for transport failures)."""

from __future__ import annotations

import socket

import pytest
from botocore.stub import Stubber

from warroom.data.aws import Aws
from warroom.data.ecs import read_services
from warroom.data.errors import UNREACHABLE, AwsError
from warroom.data.models import Fleet


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_unreachable_endpoint(monkeypatch, moto_server):
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{closed_port()}")
    aws = Aws(timeout=1.0)
    with pytest.raises(AwsError) as caught:
        await read_services(aws, Fleet())
    assert caught.value.code == UNREACHABLE
    assert caught.value.operation == "ListClusters"


async def test_access_denied_keeps_code_and_message(aws):
    with Stubber(aws.client("ecs")) as stub:
        stub.add_client_error("list_clusters", "AccessDeniedException",
                              "User: arn:aws:iam::1:user/x is not authorized to perform: ecs:ListClusters")
        with pytest.raises(AwsError) as caught:
            await read_services(aws, Fleet())
    assert caught.value.code == "AccessDeniedException"
    assert "not authorized" in caught.value.message
    assert caught.value.one_line().startswith("AccessDeniedException (ListClusters): User:")


async def test_throttling_is_recognised(aws):
    with Stubber(aws.client("ecs")) as stub:
        stub.add_client_error("list_clusters", "ThrottlingException", "Rate exceeded")
        with pytest.raises(AwsError) as caught:
            await read_services(aws, Fleet())
    assert caught.value.throttled


def test_unknown_profile_is_one_error(monkeypatch):
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    with pytest.raises(AwsError) as caught:
        Aws(profile="no-such-profile")
    assert caught.value.code == "ProfileNotFound"
