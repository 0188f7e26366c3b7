"""Connection settings: the [database] table checked; endpoint, secret and IAM token resolved against moto."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from warroom.data.errors import AwsError
from warroom.data.models import Database
from warroom.data.pg_settings import SettingsError, connect_params, settings_from, shown


def test_dsn_and_keywords_merge_and_the_password_stays_out_of_labels():
    settings = settings_from({"dsn": "postgresql://app:s3cret@db.internal:6432/orders?sslmode=verify-full"})
    assert dict(settings.params)["sslmode"] == "verify-full"
    assert settings.password == "s3cret"
    assert "s3cret" not in repr(settings) and "s3cret" not in settings.label()
    assert settings.label() == "app@db.internal:6432/orders"
    assert "s3cret" not in shown({**dict(settings.params), "password": settings.password})


@pytest.mark.parametrize("table, reason", [
    ({"hots": "x"}, "unknown key 'hots'"),
    ({"port": True}, "port must be a string"),
    ({"iam_auth": "yes"}, "iam_auth must be true or false"),
    ({"dsn": "postgresql://u:hunter2@h:notaport/db?x=%"}, "not a valid"),
    ({"iam_auth": True, "secret_id": "s"}, "iam_auth takes no password"),
])
def test_bad_tables_say_which_key(table, reason):
    with pytest.raises(SettingsError) as failure:
        settings_from(table)
    assert reason in str(failure.value) and "hunter2" not in str(failure.value)


async def test_session_settings_are_always_applied():
    params = await connect_params(settings_from({"host": "h", "options": "-c search_path=app"}), aws=None)
    assert params["application_name"] == "warroom" and params["connect_timeout"] == "5"
    assert params["options"] == "-c search_path=app -c statement_timeout=5000"


async def test_secret_gives_user_and_password_and_rds_gives_the_endpoint(aws, seeder):
    seeder.client("secretsmanager").create_secret(
        Name="db-master", SecretString=json.dumps({"username": "admin", "password": "p@ss w0rd"}))
    seeder.client("rds").create_db_instance(DBInstanceIdentifier="orders-db", Engine="postgres",
                                            DBInstanceClass="db.t3.micro", AllocatedStorage=20,
                                            MasterUsername="admin", MasterUserPassword="unused-password")
    settings = settings_from({"rds": "orders-db", "secret_id": "db-master", "dbname": "orders"})
    params = await connect_params(settings, aws)
    assert params["user"] == "admin" and params["password"] == "p@ss w0rd"
    assert params["host"].startswith("orders-db.") and params["port"] == "5432"


async def test_a_secret_without_a_password_is_a_clear_error(aws, seeder):
    seeder.client("secretsmanager").create_secret(Name="plain", SecretString="not json")
    with pytest.raises(AwsError) as failure:
        await connect_params(settings_from({"host": "h", "secret_id": "plain"}), aws)
    assert failure.value.code == "SecretFormat"


async def test_iam_auth_signs_a_token_for_the_picked_database(aws):
    row = Database("orders-db", "instance", "postgres", "15", "available", "db.t3.micro", False, 20,
                   endpoint="orders-db.abc.us-east-1.rds.amazonaws.com", port=5433)
    settings = settings_from({"user": "oncall", "iam_auth": True})
    params = await connect_params(replace(settings, database=row), aws)
    assert params["host"] == row.endpoint and params["port"] == "5433" and params["sslmode"] == "require"
    assert "X-Amz-Signature=" in params["password"] and "DBUser=oncall" in params["password"]
    assert replace(settings, database=row).label() == "oncall@orders-db.abc.us-east-1.rds.amazonaws.com:5433"
