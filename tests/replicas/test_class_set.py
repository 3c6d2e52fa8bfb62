"""deploy/class_set.py's own checks, without starting any replica."""

from __future__ import annotations

import re
import socket
import subprocess

import pytest

from deploy import class_set
from deploy.class_set import ClassSet, SetupError, find_nginx, main_conf
from ui.conftest import free_port


def test_a_taken_port_is_named_before_anything_starts(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        classroom = ClassSet(str(tmp_path / "sessions.sqlite3"), tmp_path, free_port(), [free_port(), port])
        with pytest.raises(SetupError, match=f"port {port} \\(a replica\\) is taken"):
            classroom.start()
    assert classroom.replicas == [] and classroom.nginx is None


def test_without_nginx_it_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setattr(class_set.shutil, "which", lambda *args, **kwargs: None)
    with pytest.raises(SetupError, match="scripts/install-nginx.sh"):
        ClassSet(str(tmp_path / "sessions.sqlite3"), tmp_path, free_port(), [free_port()]).start()


def test_the_configuration_for_other_machines_names_every_replica_and_nginx_accepts_it(tmp_path, capsys):
    assert class_set.main(["nginx-conf", "--listen", "8080", "--access-log", str(tmp_path / "access.log"),
                           "--upstream", "10.0.0.2:7860", "--upstream", "10.0.0.3:7861"]) == 0
    site = capsys.readouterr().out
    assert not re.search(r"@[A-Z_]+@", site)
    assert re.findall(r"server (\S+) max_fails=1 fail_timeout=10s;", site) == ["10.0.0.2:7860", "10.0.0.3:7861"]
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(main_conf(tmp_path), encoding="utf-8")
    checked = subprocess.run([find_nginx(), "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
                              "-e", str(tmp_path / "error.log")], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr

