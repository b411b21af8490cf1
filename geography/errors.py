"""The one error the geography package raises for a code it does not know."""

from __future__ import annotations


class UnknownCode(KeyError, ValueError):
    """A region code that is not in the 2025 official code list (Kepmendagri 2025).

    It is a KeyError (a failed look-up) and a ValueError (bad input), so callers that already catch
    either keep working; the command line prints it as one sentence. The message says what was
    closest: the nearest existing parent and its children, the code with its lost trailing zero
    (`11.1` -> `11.10`), the dotted form of `3527`, or units whose name is like the text given."""

    def __init__(self, code: object, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:  # KeyError would print the message in quotes
        return self.message
