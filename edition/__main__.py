"""Command line: ``python -m edition check | build | hash``.

    python -m edition check [--data DIR]       run every data rule; exit 1 on problems
    python -m edition build student|instructor   build an edition (see edition/build.py)
    python -m edition hash ID VALUE --kind K   print the answer hash for a data exercise
    python -m edition student-notebooks [--out ZIP]   the student notebooks kit (a zip)
    python -m edition reader [--build-dir DIR]   the course reader (PDF) -> _build/reader.pdf
"""

from __future__ import annotations

import argparse
import sys

from . import exercises
from .load import DataError
from .validate import check


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m edition")
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser("check", help="validate data/")
    p_check.add_argument("--data", default=None, help="the data folder (default: ./data)")
    p_build = sub.add_parser("build", help="build an edition of the book")
    p_build.add_argument("edition", choices=["student", "instructor"])
    p_build.add_argument("--build-dir", default=None,
                         help="where to stage and build (default: _build; helpers use their own)")
    p_hash = sub.add_parser("hash", help="hash a data exercise's answer")
    p_hash.add_argument("exercise_id")
    p_hash.add_argument("value")
    p_hash.add_argument("--kind", choices=exercises.KINDS, default="integer")
    p_nb = sub.add_parser("student-notebooks",
                          help="write the student notebooks, data/ and edition/ to a zip")
    p_nb.add_argument("--out", default=None, help="the zip file (default: _build/student-notebooks.zip)")
    p_reader = sub.add_parser("reader", help="build the student edition and its course reader (PDF)")
    p_reader.add_argument("--build-dir", default=None, help="where to build (default: _build)")
    args = parser.parse_args(argv)
    if args.command == "reader":
        import shutil
        from pathlib import Path
        from .build import ROOT, build
        from .reader import PDF_IN_SITE
        build_dir = Path(args.build_dir).resolve() if args.build_dir else ROOT / "_build"
        site = build("student", build_dir=build_dir)  # prints the reader into the site
        if not (site / PDF_IN_SITE).is_file():
            print("the course reader was not made (see the note above)", file=sys.stderr)
            return 1
        shutil.copy2(site / PDF_IN_SITE, build_dir / "reader.pdf")
        print(f"The course reader is in {build_dir / 'reader.pdf'}")
        return 0
    if args.command == "student-notebooks":
        from pathlib import Path
        from .build import ROOT
        from .studentnb import write_zip
        out = write_zip(ROOT, Path(args.out).resolve() if args.out else ROOT / "_build" / "student-notebooks.zip")
        print(f"The student notebooks are in {out}")
        return 0
    if args.command == "hash":
        print(exercises.answer_hash(args.exercise_id, args.value, args.kind))
        return 0
    if args.command == "build":
        from .build import build
        from pathlib import Path
        build(args.edition, build_dir=Path(args.build_dir).resolve() if args.build_dir else None)
        return 0
    try:
        problems = check(args.data)
    except DataError as e:
        problems = [e]
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in the data.", file=sys.stderr)
        return 1
    print("data/ is consistent: every rule passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
