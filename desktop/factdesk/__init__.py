"""FactDesk: line up every version of a news story and track where each fact comes from."""

# The one place the version is written: the package metadata reads it from here, and
# start-up does not pay for a metadata lookup.
__version__ = "0.1.0"
