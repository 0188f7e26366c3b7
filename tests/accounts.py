"""Several AWS accounts in one moto server, as a user's AWS config file reaches them: a `base` profile with the
test credentials and one profile per account that assumes a role in it (moto answers AssumeRole into
arn:aws:iam::ACCOUNT:role/… with that account's own resources)."""

from __future__ import annotations

from pathlib import Path

import pytest

ACCOUNTS = {"alpha": "111111111111", "beta": "222222222222"}


def profiles_text(accounts: dict[str, str] = ACCOUNTS, region: str = "us-east-1") -> str:
    """The AWS config file's text: `base` with the test credentials, one role profile per account."""
    lines = ["[profile base]", "aws_access_key_id = testing", "aws_secret_access_key = testing",
             f"region = {region}"]
    for name, account in accounts.items():
        lines += [f"[profile {name}]", f"role_arn = arn:aws:iam::{account}:role/warroom", "source_profile = base",
                  f"region = {region}"]
    return "\n".join(lines) + "\n"


def role_profiles(folder: Path, monkeypatch: pytest.MonkeyPatch, accounts: dict[str, str] = ACCOUNTS,
                  region: str = "us-east-1") -> Path:
    """Write the config file, point AWS_CONFIG_FILE at it (and the credentials file at nothing); its path."""
    path = folder / "aws-config"
    path.write_text(profiles_text(accounts, region))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(path))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(folder / "no-credentials"))
    return path
