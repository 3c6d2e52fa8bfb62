"""The `interviewer` command."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from interviewer.accounts import ROLES, AccountError
from interviewer.grading.answers import LabelledAnswer, load_answers
from interviewer.grading.calibration import EXPECTED_EXACT, overall, with_examples, with_labels
from interviewer.grading.embeddings import default_embedder
from interviewer.grading.offline import OfflineGrader
from interviewer.grading.report import loop_scorecard_text, scorecard_text
from interviewer.grading.scorecard import Scorecard
from interviewer.grading.select import choose_graders
from interviewer.llm.config import add_cli_arguments, settings_from_args
from interviewer.llm.errors import LLMConfigError
from interviewer.rubric import (
    DEFAULT_RUBRICS_DIR,
    KINDS,
    RubricBank,
    load_rubrics,
    schema_json,
)
from interviewer.practice.owners import LOCAL_OWNER
from interviewer.practice.records import Practice, PracticeError, Step
from interviewer.practice.recordings import transcribe_file
from interviewer.practice.setup import open_practice, opened_roster


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except (PracticeError, LLMConfigError, AccountError) as error:  # each says what is wrong and how to fix it
        print(f"interviewer: {error}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="interviewer", description="Mock interviews for machine-learning roles.")
    commands = parser.add_subparsers(title="commands")

    serve = commands.add_parser("serve", help="start the web app")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=7860)
    serve.add_argument("--rubrics", type=Path, default=DEFAULT_RUBRICS_DIR, help="folder of rubric files")
    # A str, not a Path: pathlib would turn postgresql://host into postgresql:/host.
    serve.add_argument("--db", help="SQLite file or postgresql:// URL for sessions [INTERVIEWER_DB, default: user data folder]")
    serve.add_argument(
        "--local-history", action="store_true",
        help="a single user's own machine: every browser's History also lists the sessions held in the terminal "
        "(`interviewer practice`); refused unless serving on 127.0.0.1",
    )
    add_cli_arguments(serve)
    serve.set_defaults(run=_serve)

    practice = commands.add_parser(
        "practice", help="hold an interview in the terminal, one line per turn",
        description="Hold an interview in the terminal, one line per turn. '/end' (or the end of the input) ends "
        "it and prints the scorecard; in a loop, '/next' moves on to the next question.",
    )
    what = practice.add_mutually_exclusive_group(required=True)
    what.add_argument("--question", help="rubric id, e.g. uber-eta or ml-fundamentals-f1-score")
    what.add_argument("--loop", help="loop id, e.g. ml-engineer-screen: several questions in a row, one combined scorecard")
    practice.add_argument("--transcript-out", type=Path, help="write the scored transcript as the app's JSON export")
    practice.add_argument("--db", help="SQLite file or postgresql:// URL to save the session in [INTERVIEWER_DB]")
    practice.add_argument("--no-save", action="store_true", help="keep the session in memory only; write nothing")
    _add_common(practice)
    practice.set_defaults(run=_practice)

    grade = commands.add_parser("grade", help="grade one answer, or a file of answers")
    source = grade.add_mutually_exclusive_group(required=True)
    source.add_argument("--answer-file", type=Path, help="a text file holding one answer (needs --question)")
    source.add_argument("--answers", type=Path, help="a YAML file with an 'answers:' list of {id, question, text}")
    grade.add_argument("--question", help="rubric id the answer file answers")
    grade.add_argument("--json", action="store_true", help="one JSON object per answer, one per line")
    _add_common(grade)
    grade.set_defaults(run=_grade)

    transcribe = commands.add_parser(
        "transcribe", help="print what the app hears in a recorded answer",
        description="Transcribe a recorded answer as the app hears it: utterance by utterance, with ML terms put back.",
    )
    transcribe.add_argument("file", type=Path, help="the recording: WAV, WebM/Ogg (Opus), MP3, M4A or FLAC")
    transcribe.add_argument("--json", action="store_true", help="a JSON object with the text and timed segments")
    transcribe.add_argument("--question", help="rubric id whose own terms the transcript should hear right")
    transcribe.add_argument("--rubrics", type=Path, default=DEFAULT_RUBRICS_DIR, help="folder of rubric files")
    add_cli_arguments(transcribe)
    transcribe.set_defaults(run=_transcribe)

    _add_users(commands)

    rubrics = commands.add_parser("rubrics", help="check rubric files (questions, quick-fire sets, loops) and print their schema")
    rubric_commands = rubrics.add_subparsers(title="rubric commands", required=True)
    validate = rubric_commands.add_parser("validate", help="check rubric files; exit 1 when any has a problem")
    validate.add_argument("paths", nargs="*", type=Path, help=f"files or folders (default: {DEFAULT_RUBRICS_DIR})")
    validate.set_defaults(run=_validate)
    schema = rubric_commands.add_parser("schema", help="write the JSON Schema of rubric files")
    schema.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    schema.add_argument(
        "--kind", choices=KINDS, default="question",
        help="which files: question (rubrics/schema.json, the default), quick-fire (rubrics/quickfire/schema.json) "
        "or loop (rubrics/loops/schema.json)",
    )
    schema.set_defaults(run=_schema)
    calibrate = rubric_commands.add_parser(
        "calibrate", help="how far the offline grader agrees with each rubric's examples and with labelled answers"
    )
    calibrate.add_argument("ids", nargs="*", metavar="ID", help="question ids (default: every question)")
    calibrate.add_argument("--answers", type=Path, action="append", default=[],
                           help="a labelled answer file (YAML, as the team's dev sets); repeat for several")
    calibrate.set_defaults(run=_calibrate)
    return parser


def _add_users(commands: argparse._SubParsersAction) -> None:
    users = commands.add_parser(
        "users", help="manage the accounts of a class (with any account, `serve` asks everyone to sign in)",
        description="Accounts of a class, kept in the session database. With at least one account, `serve` asks "
        "everyone to sign in: candidates see their own sessions, coaches also the Coach and Class tabs.",
    )
    user_commands = users.add_subparsers(title="user commands", required=True)
    stdin_help = "read the password from the first line of standard input (for scripts) instead of asking twice"
    add = user_commands.add_parser("add", help="add an account; asks for its password")
    add.add_argument("name", help="letters, digits, '.', '_' or '-'; compared without case")
    add.add_argument("--role", choices=ROLES, default="candidate", help="default: candidate")
    add.add_argument("--password-stdin", action="store_true", help=stdin_help)
    add.set_defaults(run=_users_add)
    reset = user_commands.add_parser("reset", help="set a new password (and lift a lockout)")
    reset.add_argument("name")
    reset.add_argument("--password-stdin", action="store_true", help=stdin_help)
    reset.set_defaults(run=_users_reset)
    remove = user_commands.add_parser("remove", help="remove an account (its sessions stay, unless --delete-sessions)")
    remove.add_argument("name")
    remove.add_argument("--delete-sessions", action="store_true",
                        help="delete the account's sessions too (also works once the account is gone)")
    remove.set_defaults(run=_users_remove)
    listing = user_commands.add_parser("list", help="the accounts, their roles, and any lockout")
    listing.set_defaults(run=_users_list)
    for command in (add, reset, remove, listing):
        command.add_argument("--db", help="SQLite file or postgresql:// URL of the sessions [INTERVIEWER_DB, default: user data folder]")


def _new_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass(f"Password for {args.name}: ")
    if getpass.getpass("Again: ") != password:
        raise AccountError("the two passwords differ; nothing was changed")
    return password


def _users_add(args: argparse.Namespace) -> int:
    with opened_roster(args.db) as roster:
        account, earlier = roster.add(args.name, args.role, _new_password(args))
    print(f"added {account.role} {account.name!r}", file=sys.stderr)
    if earlier:
        print(f"{account.name!r} now has the {earlier} session(s) left by an earlier account of that name; "
              f"`users remove {account.name} --delete-sessions` deletes them", file=sys.stderr)
    return 0


def _users_reset(args: argparse.Namespace) -> int:
    with opened_roster(args.db) as roster:
        account = roster.accounts.named(args.name)  # before asking for a password that would go nowhere
        roster.accounts.reset(account.name, _new_password(args))
    print(f"new password set for {account.name!r}", file=sys.stderr)
    return 0


def _users_remove(args: argparse.Namespace) -> int:
    with opened_roster(args.db) as roster:
        removed = roster.remove(args.name, args.delete_sessions)
    if removed.deleted:
        print(f"removed {removed.name!r} and deleted their {removed.sessions} session(s)", file=sys.stderr)
    else:
        print(f"removed {removed.name!r}; their {removed.sessions} session(s) stay in the database, and an account "
              f"added again under that name gets them back (`users remove {removed.name} --delete-sessions` "
              "deletes them)", file=sys.stderr)
    return 0


def _users_list(args: argparse.Namespace) -> int:
    with opened_roster(args.db) as roster:
        accounts = roster.accounts
        for account in accounts.all():
            locked = accounts.locked_until(account)
            note = f"  locked until {locked:%Y-%m-%d %H:%M:%S} UTC" if locked else ""
            print(f"{account.name}\t{account.role}\tsince {account.created_at:%Y-%m-%d}{note}")
        anyone = accounts.exist()
    if not anyone:
        print("no accounts: `interviewer serve` runs without sign-in", file=sys.stderr)
    return 0


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rubrics", type=Path, default=DEFAULT_RUBRICS_DIR, help="folder of rubric files")
    parser.add_argument(
        "--backend", choices=["offline", "openai"], help="who grades (default: openai when a server is configured)"
    )
    add_cli_arguments(parser)


def _practice(args: argparse.Namespace) -> int:
    app = open_practice(args.rubrics, settings_from_args(args), db=args.db, save=not args.no_save,
                        backend=args.backend, with_speech=False)
    service, terminal = app.service, Terminal()
    try:  # the bank's own errors list the ids that exist
        if args.loop:
            loop = app.bank.loop(args.loop)
            print(f"{loop.title} ({loop.role}): {len(app.bank.loop_questions(loop.id))} questions, about "
                  f"{app.bank.loop_minutes(loop.id):g} minutes. Type /next to move on to the next question, "
                  "/end to finish.", flush=True)
        else:
            app.bank.get(args.question)
    except KeyError as error:
        print(error.args[0], file=sys.stderr)
        _print_loop_problems(app.bank, args.loop)
        return 2
    starting = service.start_loop(LOCAL_OWNER, args.loop) if args.loop else service.start(LOCAL_OWNER, args.question)
    practice = terminal.play(starting)
    for line in _candidate_lines():
        steps = service.next_question(practice) if line == "/next" else service.answer(practice, line)
        practice = terminal.play(steps, practice)
        if practice.over:
            break
    practice = terminal.play(service.end(practice), practice)
    print()
    if practice.loop is not None and practice.loop.scorecard is not None:
        rubrics = [service.snapshots.by_ref(q.rubric_ref, q.question_id) for q in practice.loop.questions]
        print(loop_scorecard_text(practice.loop.scorecard, rubrics))
    elif practice.scorecard is not None:
        print(scorecard_text(practice.scorecard, service.rubric(practice)))
    if not args.no_save:
        print(f"\nSaved in {_db_name(app.store)}: the History tab of `make run` lists it.", file=sys.stderr)
    if args.transcript_out:
        files = app.exports.files(practice)
        args.transcript_out.write_text(files["json"].read_text(encoding="utf-8"), encoding="utf-8")
    return 0


class Terminal:
    """Plays the service's steps in the terminal: each interviewer turn once, as soon as it is whole."""

    def __init__(self) -> None:
        self.printed: dict[str, int] = {}  # turns already shown, per session

    def play(self, steps: Iterator[Step], practice: Practice | None = None) -> Practice:
        for step in steps:
            if step.notice:
                print(f"({step.notice})", file=sys.stderr)
            practice = step.practice
            if practice.session_id not in self.printed:
                self.printed[practice.session_id] = 0
                if practice.loop is not None:
                    self._heading(practice)
            turns = practice.state.turns
            for turn in turns[self.printed[practice.session_id]:]:
                if turn.role == "interviewer":
                    print(f"Interviewer: {turn.text}", flush=True)
            self.printed[practice.session_id] = len(turns)
        assert practice is not None
        return practice

    @staticmethod
    def _heading(practice: Practice) -> None:
        run = practice.loop
        assert run is not None
        question = run.questions[run.index]
        print(f"\nQuestion {run.index + 1} of {len(run.questions)}: {question.title} ({question.minutes:g} min)")


def _print_loop_problems(bank: RubricBank, loop_id: str | None) -> None:
    for problem in bank.problems:  # a loop with a broken file is not loaded: say why
        if loop_id and Path(problem.file).stem == loop_id:
            print(problem, file=sys.stderr)


def _db_name(store: object) -> str:
    return str(getattr(store, "path", "the session database"))


def _candidate_lines() -> Iterator[str]:
    """The candidate's turns, one per line, until '/end' or the end of the input; blank lines skipped."""
    interactive = sys.stdin.isatty()
    while True:
        try:
            line = input("You: ") if interactive else sys.stdin.readline()
        except EOFError:
            return
        if not line or line.strip() == "/end":
            return
        if line.strip():
            yield line.strip()


def _grade(args: argparse.Namespace) -> int:
    bank = RubricBank(args.rubrics)
    if args.answer_file:
        if not args.question:
            print("--answer-file needs --question ID", file=sys.stderr)
            return 2
        answers = [LabelledAnswer(id=args.answer_file.stem, question=args.question, text=args.answer_file.read_text(encoding="utf-8"))]
    else:
        answers = load_answers(args.answers)
    graders = choose_graders(args.backend, settings_from_args(args))
    graders.offline.know_bank(bank.rubrics.values())  # so an answer to a neighbouring question is caught
    grader = graders.best
    for answer in answers:
        try:
            rubric = bank.get(answer.question)
        except KeyError as error:
            print(f"{answer.id}: {error.args[0]}", file=sys.stderr)
            return 2
        card = grader.grade(rubric, answer.text)
        print(json.dumps(grade_line(answer.id, card)) if args.json else f"{answer.id}\n{scorecard_text(card, rubric)}\n")
    return 0


def grade_line(answer_id: str, card: Scorecard) -> dict:
    """The `grade --json` contract: one object per answer."""
    return {
        "id": answer_id,
        "question": card.question_id,
        "score": card.score,
        "band": card.band,
        "criteria": [{"id": c.id, "level": c.level, "evidence": c.evidence} for c in card.criteria],
        "flags": [flag.code for flag in card.flags] + [f"red-flag:{hit.id}" for hit in card.red_flags],
        "grader": card.grader,
    }


def _transcribe(args: argparse.Namespace) -> int:
    question = None
    if args.question:
        try:
            question = RubricBank(args.rubrics).get(args.question)
        except KeyError as error:
            print(f"interviewer: {error.args[0]}", file=sys.stderr)
            return 2
    transcript = transcribe_file(args.file, settings_from_args(args), question)
    if not args.json:
        print(transcript.text)
        return 0
    segments = [{"start": round(s.start, 2), "end": round(s.end, 2), "text": s.text} for s in transcript.segments]
    print(json.dumps({"text": transcript.text, "duration_seconds": round(transcript.duration_seconds or 0, 2),
                      "model": transcript.model, "segments": segments}, indent=2))
    return 0


def _validate(args: argparse.Namespace) -> int:
    result = load_rubrics(args.paths or [DEFAULT_RUBRICS_DIR])
    for problem in result.problems:
        print(problem)
    if not result.files:
        print("no rubric files found (they end in .yaml)", file=sys.stderr)
        return 1
    broken = len({p.file for p in result.problems})
    loaded = f"{len(result.rubrics)} question(s), {len(result.quick_fire_sets)} quick-fire set(s), {len(result.loops)} loop(s)"
    print(f"checked {len(result.files)} rubric file(s): {len(result.files) - broken} valid, {broken} with problems "
          f"(loaded {loaded})", file=sys.stderr)
    return 1 if result.problems else 0


def _calibrate(args: argparse.Namespace) -> int:
    """Exit 1 when a rubric's examples agree with the coach on fewer than three quarters of criteria."""
    bank = RubricBank()
    unknown = [i for i in args.ids if i not in bank.rubrics]
    if unknown:
        print(f"unknown question id(s): {', '.join(unknown)} (see `interviewer rubrics validate`)", file=sys.stderr)
        return 2
    grader = OfflineGrader(default_embedder())
    grader.know_bank(bank.rubrics.values())
    chosen = [bank.rubrics[i] for i in args.ids] or list(bank.rubrics.values())
    per_rubric = [with_examples(grader, rubric) for rubric in chosen]
    low = [a for a in per_rubric if a.exact_share < EXPECTED_EXACT]
    print("Each rubric's examples, grader level against the coach's, per criterion:")
    for result in per_rubric:
        print(f"  {result.line()}{'   <- below 3/4 exact' if result in low else ''}")
    print(f"  {overall('all rubrics', per_rubric).line()}")
    for path in args.answers:
        try:
            answers = load_answers(path)
        except (OSError, ValueError) as error:
            print(f"{path}: {error}", file=sys.stderr)
            return 2
        print(f"Labelled answers, grader band against the expert's level: {with_labels(grader, bank.rubrics, answers, path.name).line()}")
    return 1 if low else 0


def _schema(args: argparse.Namespace) -> int:
    if args.output:
        args.output.write_text(schema_json(args.kind), encoding="utf-8")
    else:
        sys.stdout.write(schema_json(args.kind))
    return 0


def _serve(args: argparse.Namespace) -> int:
    from interviewer.ui.app import launch  # imports gradio, which takes seconds

    if args.local_history and args.host not in LOOPBACK_HOSTS:
        print(f"--local-history shows the terminal's sessions to every visitor, so it only works on a loopback address "
              f"({', '.join(LOOPBACK_HOSTS)}), not {args.host}. To share the app, run `interviewer serve --host {args.host}`, "
              "where each browser sees only its own sessions.", file=sys.stderr)
        return 2
    launch(rubrics_dir=args.rubrics, host=args.host, port=args.port, db_path=args.db, settings=settings_from_args(args),
           local_history=args.local_history)
    return 0


if __name__ == "__main__":
    sys.exit(main())
