"""A class on one machine: app replicas sharing one database, behind nginx on one port.

    deploy/run-class.sh --replicas 2 --port 8080        # a PostgreSQL of its own in ./class-postgres
    deploy/run-class.sh users add carol --role coach    # `interviewer users` on that database
    deploy/run-class.sh nginx-conf --listen 80 --upstream 10.0.0.2:7860 --upstream 10.0.0.3:7860

`start` (what run-class.sh runs) starts the database (unless given one with --db), the replicas
and nginx, and stops them on Ctrl-C; nginx runs as the current user from a temporary folder,
never as the system service. `users` runs `interviewer users` on the same database. `nginx-conf`
prints the configuration for replicas on other machines (README, "A class on several machines").
"""

from __future__ import annotations

import argparse
import getpass
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx

from deploy.local_postgres import LocalPostgres, PostgresError

SITE_TEMPLATE = Path(__file__).resolve().with_name("nginx-site.conf.template")
INTERVIEWER = [sys.executable, "-m", "interviewer.cli"]
SERVE = [*INTERVIEWER, "serve"]
POSTGRES_FOLDER = "class-postgres"
READY_TIMEOUT = 180.0
FAIL_TIMEOUT = "10s"  # how long nginx leaves a replica alone after it refused a connection
LOG_LINE = re.compile(r'route=(\S*) "(\S+) (\S+) [^"]*" (\d+) upstream="([^"]*)"')


class SetupError(Exception):
    """Something the person starting the class can fix; the message says what."""


@dataclass(frozen=True)
class Served:
    """One request as nginx's access log tells it: whose route, and which replicas it tried."""

    route: str
    method: str
    path: str
    status: int
    upstreams: tuple[str, ...]

    @property
    def replica(self) -> str:
        return self.upstreams[-1] if self.upstreams else ""


@dataclass
class Replica:
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"


def site_conf(listen: str, upstreams: list[str], access_log: str) -> str:
    servers = "\n".join(f"    server {address} max_fails=1 fail_timeout={FAIL_TIMEOUT};" for address in upstreams)
    text = SITE_TEMPLATE.read_text(encoding="utf-8")
    return text.replace("@LISTEN@", listen).replace("@SERVERS@", servers).replace("@ACCESS_LOG@", access_log)


def main_conf(folder: Path) -> str:
    """nginx in the foreground with every file it writes in `folder`."""
    # Started as root, nginx would run its workers as nobody, who cannot write into our folder.
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
    temp_paths = "".join(f"    {kind}_temp_path {folder}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"{user}daemon off;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log warn;\n"
            f"worker_processes 1;\nworker_rlimit_nofile 8192;\nevents {{ worker_connections 4096; }}\n"
            f"http {{\n{temp_paths}    include {folder}/site.conf;\n}}\n")


def find_nginx() -> str:
    path = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if not path:
        raise SetupError("nginx is missing: run scripts/install-nginx.sh (it installs Debian's nginx package)")
    return path


def ensure_free(port: int, what: str) -> None:
    with socket.socket() as sock:
        # As the servers do: connections of a run just stopped (TIME_WAIT) must not count as taken.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            raise SetupError(f"port {port} ({what}) is taken, by another class or program: choose another") from None


def tail(path: Path, lines: int = 15) -> str:
    text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


class ClassSet:
    """Replicas on `replica_ports`, nginx on `port`, all sharing the database `db` (a SQLite path
    or a postgresql:// URL, given to each replica as INTERVIEWER_DB)."""

    def __init__(self, db: str, folder: Path, port: int, replica_ports: list[int], host: str = "127.0.0.1",
                 serve: list[str] = SERVE, env: dict[str, str] | None = None) -> None:
        self.db, self.folder, self.port, self.host = db, folder, port, host
        self.replica_ports, self.serve = replica_ports, serve
        self.env = {**(os.environ if env is None else env), "INTERVIEWER_DB": db, "PYTHONUNBUFFERED": "1"}
        self.replicas: list[Replica] = []
        self.nginx: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def __enter__(self) -> ClassSet:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        nginx = find_nginx()
        ensure_free(self.port, "nginx")
        for port in self.replica_ports:
            ensure_free(port, "a replica")
        # The store's migrations and shared secrets are safe to race, so the replicas start together.
        self.replicas = [self._spawn(port) for port in self.replica_ports]
        for replica in self.replicas:
            self._wait(f"http://{replica.address}/", replica.process, replica.log)
        self._start_nginx(nginx)

    def _spawn(self, port: int) -> Replica:
        log = self.folder / f"replica-{port}.log"
        command = [*self.serve, "--host", "127.0.0.1", "--port", str(port)]
        with log.open("w") as out:
            # Own session: a Ctrl-C in the terminal reaches this script, which stops everyone in order.
            process = subprocess.Popen(command, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True)
        return Replica(port, process, log)

    def _start_nginx(self, nginx: str) -> None:
        listen = f"{self.host}:{self.port}"
        upstreams = [replica.address for replica in self.replicas]
        (self.folder / "site.conf").write_text(site_conf(listen, upstreams, str(self.access_log)), encoding="utf-8")
        (self.folder / "nginx.conf").write_text(main_conf(self.folder), encoding="utf-8")
        out = self.folder / "nginx.out"
        with out.open("w") as stream:
            self.nginx = subprocess.Popen(
                [nginx, "-p", str(self.folder), "-c", str(self.folder / "nginx.conf"), "-e", str(self.folder / "error.log")],
                stdout=stream, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        self._wait(self.url, self.nginx, out)

    @staticmethod
    def _wait(url: str, process: subprocess.Popen, log: Path) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SetupError(f"{process.args[0]} exited with code {process.returncode} before serving {url}:\n{tail(log)}")
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise SetupError(f"{url} did not answer within {READY_TIMEOUT:.0f} s; see {log}")

    @property
    def access_log(self) -> Path:
        return self.folder / "access.log"

    def served(self) -> list[Served]:
        """Every request nginx has finished, oldest first."""
        lines = self.access_log.read_text(encoding="utf-8").splitlines() if self.access_log.exists() else []
        found = (LOG_LINE.search(line) for line in lines)
        return [Served(m[1], m[2], m[3], int(m[4]), tuple(a for a in m[5].split(", ") if a != "-")) for m in found if m]

    def replica(self, address: str) -> Replica:
        return next(replica for replica in self.replicas if replica.address == address)

    def kill(self, address: str) -> None:
        """SIGKILL a replica: no goodbye to its candidates, nothing flushed."""
        process = self.replica(address).process
        process.kill()
        process.wait(timeout=10)

    def stop(self) -> None:
        for process in [self.nginx, *(replica.process for replica in self.replicas)]:
            if process is not None and process.poll() is None:
                process.terminate()
        for process in [self.nginx, *(replica.process for replica in self.replicas)]:
            if process is not None:
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)


def database(args: argparse.Namespace, stack: ExitStack) -> str:
    """The --db given, else the class's own PostgreSQL, started for as long as `stack` lasts."""
    if args.db:
        return args.db
    postgres = LocalPostgres(Path(args.postgres_folder))
    print(f"Starting PostgreSQL in {postgres.folder}...", flush=True)
    stack.enter_context(postgres)
    return postgres.url


def _start(args: argparse.Namespace) -> int:
    folder = Path(tempfile.mkdtemp(prefix="interviewer-class-"))
    ports = [args.replica_port + i for i in range(args.replicas)]
    # Stop everyone on SIGTERM as on Ctrl-C, and on SIGINT even if started in the background
    # (where a shell hands it over ignored).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    with ExitStack() as stack:
        db = database(args, stack)
        print(f"Starting {args.replicas} replicas on ports {ports[0]}-{ports[-1]} (logs in {folder})...", flush=True)
        running = stack.enter_context(ClassSet(db, folder, args.port, ports, host=args.host))
        watch(running)
    return 0


def watch(running: ClassSet) -> None:
    print(f"The class is open at {running.url} (nginx on {running.host}:{running.port}). Ctrl-C stops it.", flush=True)
    reported: set[int] = set()
    try:
        while True:
            for replica in running.replicas:
                if replica.process.poll() is not None and replica.port not in reported:
                    reported.add(replica.port)
                    print(f"The replica on port {replica.port} exited (code {replica.process.returncode}); "
                          f"nginx sends its candidates to the others. Its log: {replica.log}", flush=True)
            time.sleep(1)
    except KeyboardInterrupt:
        print("Stopping the class...", flush=True)


def _users(args: argparse.Namespace) -> int:
    """`interviewer users ...` on the class's database (started for the command if it is not running)."""
    with ExitStack() as stack:
        db = args.db or stack.enter_context(LocalPostgres(Path(args.postgres_folder))).url
        return subprocess.run([*INTERVIEWER, "users", *args.rest], env={**os.environ, "INTERVIEWER_DB": db},
                              check=False).returncode


def _nginx_conf(args: argparse.Namespace) -> int:
    sys.stdout.write(site_conf(args.listen, args.upstream, args.access_log))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="deploy/run-class.sh", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(required=True)
    start = commands.add_parser("start", help="replicas and nginx on this machine, until Ctrl-C")
    start.add_argument("--replicas", type=int, default=2)
    start.add_argument("--port", type=int, default=8080, help="nginx's port, the one candidates open")
    start.add_argument("--host", default="127.0.0.1", help="nginx's address (0.0.0.0 lets the class in)")
    start.add_argument("--replica-port", type=int, default=7861, help="the first replica's port; the others follow")
    start.set_defaults(run=_start)
    users = commands.add_parser("users", help="interviewer users ... on the class's database")
    users.add_argument("rest", nargs=argparse.REMAINDER, metavar="add|reset|remove|list ...")
    users.set_defaults(run=_users)
    for command in (start, users):
        command.add_argument("--db", default=os.environ.get("INTERVIEWER_DB"),
                             help="a SQLite file or a postgresql:// URL [INTERVIEWER_DB; default: a PostgreSQL of "
                                  "the class's own in --postgres-folder, started and stopped with it]")
        command.add_argument("--postgres-folder", default=POSTGRES_FOLDER,
                             help=f"where the class's own PostgreSQL keeps its data [default: ./{POSTGRES_FOLDER}]")
    conf = commands.add_parser("nginx-conf", help="print nginx's configuration for replicas on other machines")
    conf.add_argument("--listen", default="80", help="nginx's listen address, e.g. 80 or 10.0.0.1:8080")
    conf.add_argument("--upstream", action="append", required=True, metavar="HOST:PORT", help="a replica; repeat")
    conf.add_argument("--access-log", default="/var/log/nginx/interviewer.log")
    conf.set_defaults(run=_nginx_conf)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (SetupError, PostgresError) as error:
        print(f"class_set: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
