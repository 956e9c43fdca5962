"""What the receivers of a signal answer, for the signals whose receivers return something.

django-stubs types each answer of Signal.send() as `str | None`; a signal documented to collect
figures, sections or messages from its receivers reads them through `signal_answers` instead.
"""

from typing import Any

from django.dispatch import Signal


def signal_answers(signal: Signal, sender: object, **arguments: Any) -> list[Any]:
    """Send `signal` and return what each receiver returned, in the order they were connected."""
    answers: list[Any] = [answer for _receiver, answer in signal.send(sender, **arguments)]
    return answers
