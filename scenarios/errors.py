"""The one error every scenario, experiment and sensitivity refusal is: kept apart so that the
loader, the memory budget and the command line can all import it without importing each other."""

from __future__ import annotations


class ScenarioError(ValueError):
    """A scenario could not be loaded; the message names the file, the field and what is allowed."""


__all__ = ["ScenarioError"]
