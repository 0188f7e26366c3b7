"""The profiles of the AWS config files (`~/.aws/config`, `~/.aws/credentials`, or AWS_CONFIG_FILE and
AWS_SHARED_CREDENTIALS_FILE), as botocore reads them: each one's name and region, for the environment picker.
How a profile gets its credentials (keys, `role_arn` + `source_profile`, SSO, `credential_process`) is botocore's
business when it is used."""

from __future__ import annotations

from dataclasses import dataclass

from warroom.data.parse import text


@dataclass(frozen=True)
class Profile:
    """One AWS profile: its name and its configured region ("" when it names none)."""

    name: str
    region: str = ""


def aws_profiles() -> tuple[Profile, ...]:
    """Every profile of the config and credentials files, sorted by name; none when they cannot be read."""
    import botocore.session

    try:
        profiles = botocore.session.Session().full_config.get("profiles") or {}
    except Exception:  # a config file botocore cannot parse: it says so itself when the profile is used
        return ()
    return tuple(sorted((Profile(text(name), text((settings or {}).get("region") or ""))
                         for name, settings in profiles.items()), key=lambda p: p.name))
