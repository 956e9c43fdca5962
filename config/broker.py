"""The embedded default's broker: kombu's file-system transport, which a stopping worker leaves at once."""

from queue import Empty
from time import monotonic, sleep

from celery.worker import state as worker_state
from kombu.transport import filesystem


def _worker_is_stopping() -> bool:
    # As celery.worker.state.maybe_shutdown() asks: a flag holds the exit code, and 0 (success) counts.
    flags = (worker_state.should_stop, worker_state.should_terminate)
    return any(flag is not None and flag is not False for flag in flags)


class Transport(filesystem.Transport):
    """The file-system transport, polled until a message comes, the timeout passes or the worker stops.

    Celery's loop for polling transports waits up to two seconds for a message, and waits once more after
    a warm shutdown (SIGTERM) is asked for: up to four seconds before the worker even begins to stop. Under
    `make run`, honcho kills a process that has not exited five seconds after its SIGTERM, so Ctrl-C ended
    the worker with SIGKILL. Here a stop request ends the wait at the next poll (a second at most).
    """

    def drain_events(self, connection, timeout=None):
        started = monotonic()
        polling_interval = self.polling_interval if timeout is None else min(self.polling_interval, timeout)
        while True:
            # A stopping worker takes no new message: it would only have to hand it back.
            if _worker_is_stopping():
                raise TimeoutError()
            try:
                self.cycle.get(self._deliver, timeout=timeout)
                return
            except Empty:
                if timeout is not None and monotonic() - started >= timeout:
                    raise TimeoutError() from None
                sleep(polling_interval)
