"""A trainee's exercise made ready in the background: the model built and its days before the desk
opens run (a new start), or a stored exercise replayed (a reload, siaga/app/resume.py), while the
page shows how far it has got and a cancel button.

Without any Solara, so that it is tested without a browser. The page (siaga/app/workshop.py)
gives `work`, which builds the `Exercise`, hands it over with `attach()` and runs it; `on_done`
gets the result in the worker thread (Solara's threads carry the page's session, so it may set
the page's reactive values there).

Rules it keeps:
- One thread steps the model: the exercise is not on the page (nor stored) before `on_done`, and
  the page's own clicks only ever reach an exercise that is done.
- A cancel is prompt: the run stops after the day it is computing (`Exercise.halt`, checked
  between two days, not waiting for any lock), and the page returns to the start form at once.
- A cancelled start leaves nothing: its exercise is closed in the worker and `on_done` never runs,
  so nothing is stored and the facilitator never sees it. `cancel()` and the hand-over are decided
  under one lock: either the cancel wins (True) or the exercise was already handed over (False).

Why not `solara.lab.task`: its threads are not daemons and keep their result in a Solara value;
this is the pattern of the explorer's background runs (siaga/app/state.py `Run`), named so that
`/_siaga/status` counts it, and a closed page cancels it (`siaga.app.sessions.own`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from siaga.app import sessions

logger = logging.getLogger("siaga.app")

UPDATE_EVERY_S = 0.2  # progress reaches the page at most this often (and once at the end)


class RunUp:
    """One start or replay of an exercise in a daemon thread.

    `target_day` is the day the desk opens on (the progress bar's end); `day` is the last day run
    so far (-1 before the first). `state` goes "running" -> "done" | "cancelled" | "failed".
    `purpose` ("start" or "restore") and `token` (the trainee's, for a restore) are for the page.
    """

    def __init__(self, target_day: int, work: Callable[[RunUp], Any], on_done: Callable[[Any], None],
                 on_error: Callable[[Exception], None] | None = None, on_progress: Callable[[RunUp], None] | None = None,
                 update_every_s: float | None = None, purpose: str = "start", token: str | None = None):
        self.target_day = int(target_day)
        self.purpose, self.token = purpose, token
        self.work, self.on_done, self.on_error, self.on_progress = work, on_done, on_error, on_progress
        self.update_every_s = UPDATE_EVERY_S if update_every_s is None else update_every_s
        self.day = -1
        self.state = "running"
        self.error: Exception | None = None
        self.exercise: Any = None  # the Exercise being made ready (attach)
        self._lock = threading.Lock()
        self._cancelled = threading.Event()
        self._last_report = 0.0
        self.thread = threading.Thread(target=self._main, name=sessions.RUN_THREAD_NAME, daemon=True)

    # -- the page's side ------------------------------------------------------------------------------

    def start(self) -> RunUp:
        sessions.own(self)  # the page closes: the run stops and its model goes
        self.thread.start()
        return self

    @property
    def fraction(self) -> float:
        """How far the run is, 0..1 (days run over days to run)."""
        return min(1.0, max(0.0, (self.day + 1) / (self.target_day + 1))) if self.target_day >= 0 else 1.0

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    @property
    def closed(self) -> bool:  # what siaga.app.sessions looks at before closing
        return self.state != "running"

    def cancel(self) -> bool:
        """Stop the run after the day it is computing; True if `on_done` will now never be called
        (False: too late, the exercise is already handed over). Does not wait for the thread."""
        with self._lock:
            if self.state == "done":
                return False
            self._cancelled.set()
            if self.state == "running":
                self.state = "cancelled"
            ex = self.exercise
        if ex is not None:
            ex.halt()
        return True

    def close(self) -> None:
        """The page's session has ended (siaga.app.sessions): cancel what is still running."""
        self.cancel()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the thread to end (tests); True if it has."""
        self.thread.join(timeout)
        return not self.thread.is_alive()

    # -- the worker's side ----------------------------------------------------------------------------

    def attach(self, ex: Any) -> None:
        """`work` hands over the exercise it built: a cancel now halts it; each day run is progress."""
        ex.on_day = self._day_run
        with self._lock:
            self.exercise = ex
            cancelled = self._cancelled.is_set()
        if cancelled:  # cancelled while the model was being built
            ex.halt()

    def _day_run(self, day: int) -> None:
        self.day = day
        now = time.monotonic()
        if self.on_progress is not None and now - self._last_report >= self.update_every_s:
            self._last_report = now
            self._call(self.on_progress, self)

    def _call(self, fn: Callable[..., None], *args: Any) -> None:
        try:
            fn(*args)
        except Exception:  # the page is gone or failed to draw: the run itself goes on
            logger.exception("the exercise's run-up could not update the page")

    def _main(self) -> None:
        try:
            result = self.work(self)
        except Exception as exc:  # e.g. a scenario file changed since the session was made
            logger.exception("an exercise could not be made ready")
            self._drop()
            with self._lock:
                report = self.state == "running"  # not when cancelled: the page has moved on
                if report:
                    self.state, self.error = "failed", exc
            if report and self.on_error is not None:
                self._call(self.on_error, exc)
            return
        ex = self.exercise
        with self._lock:
            # an exercise closed meanwhile (its page went) is half-made too
            handed = not self._cancelled.is_set() and not (ex is not None and ex.closed)
            self.state = "done" if handed else "cancelled"
        if ex is not None:
            ex.on_day = None
        if not handed:
            self._drop()
            return
        self._call(self.on_done, result)

    def _drop(self) -> None:
        ex = self.exercise
        if ex is not None:
            ex.close()  # its model goes now; nothing of it was stored
        self.exercise = None
