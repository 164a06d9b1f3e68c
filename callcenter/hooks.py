"""Hooks: how a higher floor acts on a lower floor's changes without being imported.

The lower app declares a `Hook` and calls it where the change happens (inside its
transaction); the higher app connects a function in its `AppConfig.ready()`. Unlike a
signal, a hook is declared where it is called, with the keyword arguments it passes,
and its receivers run in the order they connected, raising what they raise.
"""

from collections.abc import Callable


class Hook:
    def __init__(self, doc: str):
        self.__doc__ = doc
        self._receivers: list[Callable] = []

    def connect(self, receiver: Callable) -> Callable:
        if receiver not in self._receivers:
            self._receivers.append(receiver)
        return receiver

    def __call__(self, **kwargs) -> list:
        return [receiver(**kwargs) for receiver in self._receivers]


demo_seeders = Hook(
    "seed_demo asks each app to add its demo data after the users, records, calls and "
    "tickets exist: receivers get `days` (the history's length) and `stdout`, in the "
    "order the apps are installed."
)

health_parts = Hook(
    "/healthz asks each app for parts of its answer: receivers take no arguments and "
    "return a dict of extra keys (empty when the part is not configured)."
)
