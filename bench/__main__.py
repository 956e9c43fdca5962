"""`python -m bench [--scale full|small|tiny|N]`: build the district, measure, write bench/results.json and
RESULTS.md."""

import argparse
import os
import sys
from pathlib import Path


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", default="full", help="full (100 communities, the default), small, tiny, or a number")
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="where the results go (default: bench/ for the full scale, which is committed; "
        "$VAR_DIR/bench/ for the others)",
    )
    parser.add_argument(
        "--load-seconds",
        type=float,
        default=None,
        help="how long each endpoint is driven (default: 20 at full scale, 2 below)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep a district already in the database instead of emptying it and building anew",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.conf import settings

    from bench.run import BenchError, run

    options = parse(sys.argv[1:] if argv is None else argv)
    if options.out is None:
        options.out = Path(__file__).resolve().parent if options.scale == "full" else Path(settings.VAR_DIR) / "bench"
    try:
        results = run(scale=options.scale, out=options.out, load_seconds=options.load_seconds, reuse=options.reuse)
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    print(f"Results written to {options.out / 'results.json'} and {options.out / 'RESULTS.md'}.")
    return 0 if results else 1


if __name__ == "__main__":
    sys.exit(main())
