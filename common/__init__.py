"""Leaf modules every layer may import (they import nothing of the project): the villager and
village state codes, the alert levels, atomic file writing and the package version."""
