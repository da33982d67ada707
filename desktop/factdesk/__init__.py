"""FactDesk: line up every version of a news story and track where each fact comes from."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("factdesk")
except PackageNotFoundError:  # running from a checkout without an install
    __version__ = "0.0.0"
