"""The SSL context the default transports verify with: one per certificate setting, shared.

Loading a CA store (certifi's: over a hundred certificates) takes 20-60 ms and about 650 KB,
and every httpx transport built with `verify=True` loads its own. The contexts here are built
as httpx builds that one (`httpx.create_ssl_context`: SSL_CERT_FILE, else SSL_CERT_DIR, else
certifi's bundle), on first use, and shared by every client whose certificate settings are the
same: the variables' values and the identity (device, inode, mtime, size) of what they name,
so a changed variable or a replaced CA file gives a new context.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING

from ._errors import RespanValidationError

if TYPE_CHECKING:
    import ssl

__all__ = ["certificate_settings", "shared_ssl_context"]

# Settings remembered at once: a process normally has one; tests and long-lived processes
# that change the variables should not keep every old store alive.
_MAX_CONTEXTS = 4

_Identity = tuple[int, int, int, int] | None
_Settings = tuple[str, _Identity, str, _Identity, _Identity]

_contexts: dict[_Settings, ssl.SSLContext] = {}
_lock = threading.Lock()
_threads_at_fork = 1


def _identity(path: str) -> _Identity:
    try:
        st = os.stat(path)
    except (OSError, ValueError):  # ValueError: a NUL in the path; httpx reports either later
        return None
    return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size)


def certificate_settings() -> _Settings:
    """What decides the certificates httpx's `verify=True` trusts (with trust_env), as a key."""
    cafile = os.environ.get("SSL_CERT_FILE", "")
    capath = os.environ.get("SSL_CERT_DIR", "")
    bundle: _Identity = None
    if not cafile and not capath:
        import certifi  # httpx's own fallback bundle (certifi is one of its dependencies)

        bundle = _identity(certifi.where())
    # A directory's mtime changes when certificates are added, removed or renamed into it
    # (c_rehash, update-ca-certificates); OpenSSL reads its files when it verifies.
    return (
        cafile,
        _identity(cafile) if cafile else None,
        capath,
        _identity(capath) if capath else None,
        bundle,
    )


def shared_ssl_context() -> ssl.SSLContext:
    """The context for the current certificate settings, built on first use and shared."""
    settings = certificate_settings()
    context = _contexts.get(settings)
    if context is not None:
        return context
    with _lock:  # the first requests of many clients or threads: load the store once
        context = _contexts.get(settings)
        if context is not None:
            return context
        context = _load()
        # Settings changed while loading: the context may hold either; use it, keep neither.
        if certificate_settings() == settings:
            while len(_contexts) >= _MAX_CONTEXTS:
                del _contexts[next(iter(_contexts))]  # the oldest
            _contexts[settings] = context
        return context


def _load() -> ssl.SSLContext:
    import httpx

    try:
        return httpx.create_ssl_context(verify=True, trust_env=True)
    except (OSError, ValueError) as exc:  # ssl.SSLError is an OSError; ValueError: a NUL
        name = next((n for n in ("SSL_CERT_FILE", "SSL_CERT_DIR") if os.environ.get(n)), None)
        where = "certifi's CA bundle" if name is None else f"{name}={os.environ[name]!r}"
        reason = getattr(exc, "strerror", None) or str(exc)
        raise RespanValidationError(
            f"cannot load the certificates to trust from {where}: {reason}"
        ) from None


def _before_fork() -> None:
    global _threads_at_fork
    _threads_at_fork = threading.active_count()


def _after_fork_in_child() -> None:
    """Start the child with a lock of its own, and with the parent's contexts if it was alone."""
    global _lock
    _lock = threading.Lock()  # one held by a parent's thread would never be released
    # A single-threaded parent's children share the stores' pages with it. Had other threads
    # run, one may have been inside OpenSSL (a handshake) holding a lock of a store that no
    # thread of the child would release: the child loads its own.
    if _threads_at_fork > 1:
        _contexts.clear()


if hasattr(os, "register_at_fork"):  # not on Windows, which has no fork
    os.register_at_fork(before=_before_fork, after_in_child=_after_fork_in_child)
