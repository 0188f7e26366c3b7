"""warroom: a full-screen terminal dashboard for AWS operations."""

__version__ = "0.1.0"
