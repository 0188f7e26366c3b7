"""One error type for everything the data layer can fail with, mapped from botocore's exceptions."""

from __future__ import annotations

UNREACHABLE = "EndpointUnreachable"
NO_CREDENTIALS = "NoCredentials"
UNKNOWN_PROFILE = "ProfileNotFound"
NOT_OFFERED = "NotOffered"
THROTTLED = frozenset(
    {"Throttling", "ThrottlingException", "ThrottledException", "RequestLimitExceeded",
     "TooManyRequestsException", "RequestThrottled", "RequestThrottledException", "SlowDown",
     "LimitExceededException"}
)
EXPIRED = frozenset(
    {"ExpiredToken", "ExpiredTokenException", "RequestExpired", "UnrecognizedClientException",
     "InvalidClientTokenId", "InvalidSignatureException", "SignatureDoesNotMatch"}
)


class AwsError(Exception):
    """An AWS call that failed: the error code and message AWS gave, or ours for transport failures."""

    def __init__(self, code: str, message: str, operation: str = "") -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.operation = operation

    @property
    def throttled(self) -> bool:
        return self.code in THROTTLED or "rate exceeded" in self.message.lower()

    @property
    def credentials(self) -> bool:
        return self.code in EXPIRED or self.code in (NO_CREDENTIALS, UNKNOWN_PROFILE)

    def one_line(self) -> str:
        where = f" ({self.operation})" if self.operation else ""
        return f"{self.code}{where}: {self.message}"


def map_error(exc: BaseException, operation: str = "") -> AwsError:
    """Turn any exception raised by a boto3 call into an AwsError with a human sentence."""
    if isinstance(exc, AwsError):
        return exc
    from botocore import exceptions as bx  # here, not at the top: the UI imports AwsError without botocore

    if isinstance(exc, bx.ClientError):
        err = exc.response.get("Error", {})
        code = str(err.get("Code") or "ClientError")
        message = str(err.get("Message") or exc)
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if message.lstrip().startswith("<"):  # an HTML error page, not an AWS error
            code = f"HTTP {status or '?'}"
            message = "the endpoint answered with an error page (it may not offer this call)"
        if code in ("InvalidAction", "NotImplemented", "UnknownOperationException") or (
            status == 501 or "not yet implemented" in message.lower()
        ):
            return AwsError(NOT_OFFERED, f"the endpoint does not offer {operation or 'this call'}", operation)
        return AwsError(code, message, operation)
    if isinstance(exc, bx.NoCredentialsError):
        return AwsError(NO_CREDENTIALS, "no AWS credentials found (set AWS_PROFILE, run `aws sso login`, "
                        "or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)", operation)
    if isinstance(exc, bx.ProfileNotFound):
        return AwsError(UNKNOWN_PROFILE, str(exc), operation)
    if isinstance(exc, (bx.EndpointConnectionError, bx.ConnectTimeoutError, bx.ConnectionClosedError)):
        return AwsError(UNREACHABLE, f"cannot reach the endpoint: {exc}", operation)
    if isinstance(exc, bx.ReadTimeoutError):
        return AwsError("ReadTimeout", f"the endpoint did not answer in time: {exc}", operation)
    if isinstance(exc, (bx.TokenRetrievalError, bx.SSOTokenLoadError, bx.UnauthorizedSSOTokenError)):
        return AwsError("ExpiredToken", f"{exc} (run `aws sso login`)", operation)
    if isinstance(exc, bx.BotoCoreError):
        return AwsError(type(exc).__name__, str(exc), operation)
    if isinstance(exc, (ConnectionError, TimeoutError, OSError)):
        return AwsError(UNREACHABLE, str(exc) or type(exc).__name__, operation)
    return AwsError(type(exc).__name__, str(exc), operation)
