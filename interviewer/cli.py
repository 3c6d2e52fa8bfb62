"""The `interviewer` command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from interviewer.rubric import DEFAULT_RUBRICS_DIR, load_rubrics, rubric_schema_json


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    return args.run(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="interviewer", description="Mock interviews for machine-learning roles.")
    commands = parser.add_subparsers(title="commands")

    serve = commands.add_parser("serve", help="start the web app")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=7860)
    serve.add_argument("--rubrics", type=Path, default=DEFAULT_RUBRICS_DIR, help="folder of rubric files")
    serve.set_defaults(run=_serve)

    rubrics = commands.add_parser("rubrics", help="check rubric files and print their schema")
    rubric_commands = rubrics.add_subparsers(title="rubric commands", required=True)
    validate = rubric_commands.add_parser("validate", help="check rubric files; exit 1 when any has a problem")
    validate.add_argument("paths", nargs="*", type=Path, help=f"files or folders (default: {DEFAULT_RUBRICS_DIR})")
    validate.set_defaults(run=_validate)
    schema = rubric_commands.add_parser("schema", help="write the JSON Schema of rubric files")
    schema.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    schema.set_defaults(run=_schema)
    return parser


def _validate(args: argparse.Namespace) -> int:
    result = load_rubrics(args.paths or [DEFAULT_RUBRICS_DIR])
    for problem in result.problems:
        print(problem)
    if not result.files:
        print("no rubric files found (they end in .yaml)", file=sys.stderr)
        return 1
    broken = len({p.file for p in result.problems})
    print(f"checked {len(result.files)} rubric file(s): {len(result.rubrics)} valid, {broken} with problems", file=sys.stderr)
    return 1 if result.problems else 0


def _schema(args: argparse.Namespace) -> int:
    if args.output:
        args.output.write_text(rubric_schema_json(), encoding="utf-8")
    else:
        sys.stdout.write(rubric_schema_json())
    return 0


def _serve(args: argparse.Namespace) -> int:
    from interviewer.ui.app import launch  # imports gradio, which takes seconds

    launch(rubrics_dir=args.rubrics, host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
