"""The installed package's version, read from its metadata (pyproject.toml is the one place it
is written), so experiments and faces can record it without importing each other."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("siaga")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
