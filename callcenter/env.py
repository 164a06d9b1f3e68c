"""Typed settings from the environment that fail loudly on a value they cannot read.

`DEBUG=Ture` stops the process with "DEBUG: "Ture" is not a boolean" instead of being
read as false. An unset or empty variable gives the default. The messages are for the
operator starting the process, not for users, so they are not translated.
"""

import os
import re

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = frozenset({"true", "1", "yes", "on"})
FALSE_WORDS = frozenset({"false", "0", "no", "off"})
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


def _raw(name: str) -> str | None:
    """The variable's value, or None when it is unset or empty (blank)."""
    value = os.environ.get(name, "")
    return value if value.strip() else None


def _bad(name: str, value: str, problem: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f'{name}: "{value}" {problem}')


def env_str(name: str, default: str | None) -> str | None:
    """The variable as it is, or the default."""
    value = _raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    """true/false, 1/0, yes/no or on/off, in any case; anything else is an error."""
    value = _raw(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise _bad(name, value, "is not a boolean (use true or false)")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    """A whole number, no less than minimum when one is given."""
    value = _raw(name)
    if value is None:
        return default
    if not WHOLE_NUMBER.fullmatch(value.strip()):
        raise _bad(name, value, "is not a whole number")
    number = int(value)
    if minimum is not None and number < minimum:
        raise _bad(name, value, f"is less than the minimum of {minimum}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    """Comma-separated items, each stripped; empty items are dropped."""
    value = _raw(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]
