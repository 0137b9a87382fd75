"""`respan-evals emulator`: run the emulator in the foreground until Ctrl-C."""

from __future__ import annotations

import argparse
import gc
import os
import signal
import sys
import threading
from types import FrameType

__all__ = ["EXIT_MISSING_EXTRA", "EXIT_USAGE", "build_parser", "main"]

# Exit codes, shared with `respan-evals` (whose `demo` and `emulator` need the same extra).
EXIT_USAGE = 2
EXIT_MISSING_EXTRA = 3
EXIT_CODES = (
    "exit codes: 0 stopped cleanly; 1 could not start; 2 usage error; "
    "3 the emulator extra is missing (pip install 'respan-evals[emulator]')"
)
HOST_ENV = "RESPAN_EMULATOR_HOST"
PORT_ENV = "RESPAN_EMULATOR_PORT"


def _latency(text: str) -> float | tuple[float, float]:
    parts = [p for p in text.replace(":", ",").split(",") if p.strip()]
    try:
        values = [float(p) for p in parts]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected SECONDS or MIN,MAX, got {text!r}") from None
    if len(values) == 1:
        return values[0]
    if len(values) == 2:
        return (values[0], values[1])
    raise argparse.ArgumentTypeError(f"expected SECONDS or MIN,MAX, got {text!r}")


def _rate(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("a rate is between 0 and 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="respan-evals emulator",
        description="Run a local emulator of Respan's Scores & Evaluators API.",
        epilog=EXIT_CODES,
    )
    parser.add_argument(
        "--host",
        default=None,
        help=f"interface to bind (default 127.0.0.1, or ${HOST_ENV}); a non-loopback host is "
        "only accepted when given here explicitly",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=None,
        help=f"port (default 8765, or ${PORT_ENV}); 0 picks a free one",
    )
    parser.add_argument(
        "--api-key",
        action="append",
        metavar="KEY[=EMAIL]",
        help="accepted Bearer key, optionally with its user's email (repeatable; default: one "
        "generated key)",
    )
    parser.add_argument(
        "--rate-limit",
        type=float,
        default=60.0,
        metavar="PER_MINUTE",
        help="requests per minute per key, like production (default 60; 0 = off)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed for faults and ids (default 0)")
    parser.add_argument(
        "--latency", type=_latency, default=0.0, metavar="SECONDS|MIN,MAX", help="added latency"
    )
    parser.add_argument("--error-rate", type=_rate, default=0.0, help="share of 500/502/503")
    parser.add_argument("--burst-429", type=int, default=0, help="next N requests get 429")
    parser.add_argument(
        "--drop-rate", type=_rate, default=0.0, help="share of writes dropped after applying"
    )
    parser.add_argument("--truncate-rate", type=_rate, default=0.0, help="share of cut bodies")
    parser.add_argument("--html-rate", type=_rate, default=0.0, help="share of 502 HTML pages")
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="send spec-breaking responses as they are (still logged) instead of a 500",
    )
    parser.add_argument(
        "--no-validate", action="store_true", help="skip the request/response spec checks"
    )
    parser.add_argument("--spec", default=None, help="openapi.yaml to validate against")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run until Ctrl-C (or SIGTERM); returns the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["emulator"]:
        args_list = args_list[1:]
    args = build_parser().parse_args(args_list)

    try:
        from ._emulator import DEFAULT_USER, Emulator
        from ._faults import FaultPlan
        from ._server import is_loopback
    except ImportError as exc:
        from . import EXTRA_HINT

        missing = exc.name or exc
        print(f"the emulator needs its extra ({missing} is missing): {EXTRA_HINT}", file=sys.stderr)
        return EXIT_MISSING_EXTRA

    explicit_host = args.host is not None
    host = args.host or os.environ.get(HOST_ENV) or "127.0.0.1"
    if not is_loopback(host) and not explicit_host:
        print(
            f"refusing to bind non-loopback host {host!r} from ${HOST_ENV}; "
            "pass --host explicitly to expose the emulator",
            file=sys.stderr,
        )
        return EXIT_USAGE
    port = args.port if args.port is not None else int(os.environ.get(PORT_ENV, "8765"))

    api_keys: dict[str, str] | None = None
    if args.api_key:
        api_keys = {}
        for item in args.api_key:
            key, _, email = item.partition("=")
            api_keys[key] = email or DEFAULT_USER
    try:
        faults = FaultPlan(
            seed=args.seed,
            latency=args.latency,
            error_rate=args.error_rate,
            burst_429=args.burst_429,
            drop_after_write_rate=args.drop_rate,
            truncate_rate=args.truncate_rate,
            html_rate=args.html_rate,
        )
        emu = Emulator(
            api_keys=api_keys,
            rate_limit=args.rate_limit or None,
            faults=faults,
            strict=not args.lenient,
            validate=not args.no_validate,
            spec_path=args.spec,
            host=host,
            port=port,
            allow_non_loopback=explicit_host,
            id_seed=args.seed,
        )
        emu.start()
    except (OSError, ValueError, RuntimeError) as exc:
        print(f"cannot start the emulator: {exc}", file=sys.stderr)
        return 1
    # This process is the emulator's alone, and what it loaded to start (the parsed spec, the
    # validators, modules) lives until it exits: frozen, the collector stops walking those
    # objects on every full collection (a few µs a request, more with validation on).
    gc.freeze()
    stop = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    # SIGINT too, not only Python's KeyboardInterrupt: a shell's background job inherits SIGINT
    # ignored, and the banner's "Press Ctrl-C to stop" must hold there as well (as it does for
    # `scores import`). It serves (from its own thread) before the banner is out, so a client
    # may answer the banner with a signal while it is being printed.
    in_main = threading.current_thread() is threading.main_thread()
    previous = (
        {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        if in_main
        else {}
    )
    try:
        if not is_loopback(host):
            print(f"warning: listening on non-loopback host {host}", file=sys.stderr)
        print(f"Respan emulator listening on {emu.base_url}", flush=True)
        for key, email in emu.api_keys.items():
            print(f"API key: {key} ({email})", flush=True)
        limit = f"{emu.rate_limit:g}/minute per key" if emu.rate_limit else "off"
        print(f"Rate limit: {limit}. Press Ctrl-C to stop.", flush=True)
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:  # raised some other way: a SIGINT here only sets `stop`
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        emu.stop()
        if emu.violations:
            print(
                f"{len(emu.violations)} response(s) broke the API spec; first: {emu.violations[0]}",
                file=sys.stderr,
            )
    print("Emulator stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
