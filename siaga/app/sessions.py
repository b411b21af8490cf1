"""What each browser session holds on the server, how it is freed, and how much is alive.

Every model the app builds for a page (the explorer's `Sim`, the workshop's `Exercise`) is
registered here under the Solara kernel (browser session) that built it, and counted in a weak
set of live models. When Solara closes the kernel (the tab is closed, or its connection stays
lost for `SOLARA_KERNEL_CULL_TIMEOUT`), `release_kernel` runs: it stops any run still going in a
background thread, drops the model from each object (a lingering reference then holds a few
kilobytes, not a 35 MB model), and tells the facilitator's registry that a trainee has left
(their summary stays there; their model does not).

A session whose model is large (a whole kabupaten: Kalimantan Selatan holds ~1.4 GB) is culled
after `SIAGA_LARGE_CULL_TIMEOUT` (default 5 minutes) of lost connection instead of Solara's
`SOLARA_KERNEL_CULL_TIMEOUT` (2 hours under `siaga ui`): three dead tabs must not fill the
server. A workshop trainee loses nothing by it (the exercise is replayed from the workshop
database on reload, `siaga.app.store`); an explorer page shows Solara's "refresh" notice.

`status()` is the diagnostic behind `GET /_siaga/status`: counts only, no session ids, names or
settings.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any, Protocol

import solara.lab

logger = logging.getLogger("siaga.app")

STATUS_PATH = "/_siaga/status"
RUN_THREAD_NAME = "siaga-run"  # the threads of background runs (siaga.app.state.Run)


class Closable(Protocol):
    def close(self) -> None: ...


_lock = threading.Lock()
_models: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()  # live model -> "explorer" / "workshop"
_owned: dict[str, list[weakref.ref]] = {}  # kernel id -> what that session built
_kernels_closed = 0
_released = 0


def _kernel_id() -> str | None:
    try:
        from solara.server import kernel_context
    except ImportError:  # pragma: no cover
        return None
    if not kernel_context.has_current_context():
        return None
    return kernel_context.get_current_context().id


LARGE_MODEL_PEOPLE = 250_000  # above this many simulated people a model takes hundreds of MB
LARGE_CULL_ENV = "SIAGA_LARGE_CULL_TIMEOUT"
LARGE_CULL_DEFAULT = "5m"


def track_model(model: Any, kind: str) -> None:
    """Count `model` as live until it is garbage; a large one shortens its session's cull timeout."""
    with _lock:
        _models[model] = kind
    try:
        people = int(model.region.population.sum())
    except AttributeError:  # not a SiagaModel (tests)
        return
    if people > LARGE_MODEL_PEOPLE:
        shorten_cull_timeout()


def large_cull_seconds() -> float:
    """`SIAGA_LARGE_CULL_TIMEOUT` in seconds ("90s", "5m", "1h" or a number of seconds)."""
    import solara.util

    text = os.environ.get(LARGE_CULL_ENV) or LARGE_CULL_DEFAULT
    try:
        return float(solara.util.parse_timedelta(text))
    except (ValueError, TypeError):
        logger.warning("%s=%r is not a duration such as 5m or 300s; using %s", LARGE_CULL_ENV, text, LARGE_CULL_DEFAULT)
        return float(solara.util.parse_timedelta(LARGE_CULL_DEFAULT))


def shorten_cull_timeout() -> bool:
    """Cull the current browser session after `large_cull_seconds()` of lost connection (or
    Solara's own timeout if that is shorter). Solara reads the timeout from the kernel context's
    `_cull_timeout_seconds()` when a cull is scheduled (solara 1.64); an instance attribute
    overrides it for this session only. Returns False where that hook is missing."""
    try:
        from solara.server import kernel_context
    except ImportError:  # pragma: no cover
        return False
    if not kernel_context.has_current_context():
        return False
    ctx = kernel_context.get_current_context()
    own_timeout = getattr(type(ctx), "_cull_timeout_seconds", None)
    if own_timeout is None:
        return False
    if "_cull_timeout_seconds" not in vars(ctx):
        short = large_cull_seconds()
        ctx._cull_timeout_seconds = lambda: min(own_timeout(ctx), short)  # type: ignore[method-assign]
    return True


def own(obj: Closable) -> None:
    """`obj.close()` will run when the current browser session ends (no-op outside a session)."""
    kid = _kernel_id()
    if kid is None:
        return
    with _lock:
        refs = _owned.setdefault(kid, [])
        refs[:] = [r for r in refs if r() is not None]
        refs.append(weakref.ref(obj))


def owned_objects() -> list[Any]:
    """What the open browser sessions built and still hold (Exercises, Sims); read-only, for the
    facilitator's view of a trainee's desk (siaga/app/trainee_view.py), which must not rebuild one."""
    with _lock:
        refs = [r for held in _owned.values() for r in held]
    return [obj for obj in (r() for r in refs) if obj is not None]


def release_kernel(kid: str) -> int:
    """Close everything the session `kid` built; returns how many objects were closed."""
    global _kernels_closed, _released
    with _lock:
        refs = _owned.pop(kid, [])
        _kernels_closed += 1
    n = 0
    for ref in refs:
        obj = ref()
        if obj is None or getattr(obj, "closed", False):  # gone already, or replaced and closed in the session
            continue
        try:
            obj.close()
            n += 1
        except Exception:  # one bad object must not keep the others alive
            logger.exception("could not release %r of session %s", obj, kid)
    with _lock:
        _released += n
    _schedule_trim()
    return n


_trim_timer: threading.Timer | None = None
TRIM_DELAY_S = 2.0


def _schedule_trim() -> None:
    """Soon after sessions close (once for a burst of closes): collect the garbage and hand the
    freed heap back to the operating system, so the server's memory goes down, not only the
    count of live models. glibc keeps freed memory otherwise."""
    global _trim_timer
    with _lock:
        if _trim_timer is not None and _trim_timer.is_alive():
            return
        try:  # a thread of no session: it must not keep the closing session alive
            from solara.server.kernel_context import without_context
        except ImportError:  # pragma: no cover
            from contextlib import nullcontext as without_context
        with without_context():
            _trim_timer = threading.Timer(TRIM_DELAY_S, _trim)
            _trim_timer.daemon = True
            _trim_timer.start()


def _trim() -> None:
    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def _on_kernel_start() -> Callable[[], None] | None:
    kid = _kernel_id()
    if kid is None:
        return None
    return lambda: release_kernel(kid)


_unregister = solara.lab.on_kernel_start(_on_kernel_start)

_last_gc = 0.0


def live_models(collect: bool = True) -> dict[str, int]:
    """Models still in memory, by kind (after a garbage collection at most once a second)."""
    global _last_gc
    if collect and time.monotonic() - _last_gc > 1.0:
        gc.collect()
        _last_gc = time.monotonic()
    with _lock:
        kinds = list(_models.values())
    return {"explorer": kinds.count("explorer"), "workshop": kinds.count("workshop"), "total": len(kinds)}


def rss_mb() -> float | None:
    try:
        with open(f"/proc/{os.getpid()}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def status() -> dict[str, Any]:
    try:
        from solara.server import kernel_context

        kernels = len(kernel_context.contexts)
    except ImportError:  # pragma: no cover
        kernels = None
    with _lock:
        sessions = len(_owned)
        closed, released = _kernels_closed, _released
    return {
        "models": live_models(),
        "runs": sum(1 for th in threading.enumerate() if th.name == RUN_THREAD_NAME),
        "sessions_with_models": sessions,
        "kernels": kernels,
        "kernels_closed": closed,
        "models_released": released,
        "rss_mb": rss_mb(),
    }


def add_status_route() -> None:
    """Serve `status()` as JSON at STATUS_PATH when running under Solara's Starlette server."""
    import sys

    server = sys.modules.get("solara.server.starlette")
    if server is None:
        return
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    routes = server.app.router.routes
    if any(getattr(r, "path", None) == STATUS_PATH for r in routes):
        return

    def endpoint(request):
        return JSONResponse(status(), headers={"Cache-Control": "no-store"})

    routes.insert(0, Route(STATUS_PATH, endpoint=endpoint, methods=["GET"]))
