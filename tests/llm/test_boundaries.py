"""Boundaries: only interviewer/openai_api imports openai, tests cannot build real clients by
accident, and settings from the developer's shell never reach a test."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

import interviewer
from interviewer.openai_api.connect import connect
from interviewer.llm.config import FORBID_REAL_CLIENT_ENV, LLMSettings
from interviewer.llm.errors import LLMConfigError, RealClientForbidden
from interviewer.llm.protocol import LLMClient

PACKAGE = Path(interviewer.__file__).parent
OPENAI_API = PACKAGE / "openai_api"


def _imports_openai(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "openai" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "openai":
            return True
    return False


def test_only_the_openai_api_package_imports_openai():
    importers = [p for p in PACKAGE.rglob("*.py") if _imports_openai(p)]

    assert importers, "the check must be able to find an importer"
    assert [str(p.relative_to(PACKAGE)) for p in importers if OPENAI_API not in p.parents] == []


def test_the_import_check_sees_every_form_of_import(tmp_path):
    forms = ["import openai", "import openai.types as t", "from openai import OpenAI", "from openai.types import x"]
    for number, form in enumerate(forms):
        (tmp_path / f"m{number}.py").write_text(f"def f():\n    {form}\n")

    assert all(_imports_openai(tmp_path / f"m{number}.py") for number in range(len(forms)))
    assert not _imports_openai(Path(__file__).parent / "test_config.py")


@pytest.mark.parametrize(
    "modules",
    [
        "interviewer.llm, interviewer.llm.fakes, interviewer.openai_api.recording, interviewer.llm.scrub",
        "interviewer.speech, interviewer.speech.select",
        "interviewer.openai_api",
    ],
)
def test_importing_the_app_packages_does_not_load_openai(modules):
    code = f"import sys, {modules}; print('openai' in sys.modules)"

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_building_a_real_client_without_opting_in_fails():
    from interviewer.openai_api.chat import OpenAICompatibleClient

    with pytest.raises(
        RealClientForbidden, match=r"test_building_a_real_client_without_opting_in_fails.*allow_llm_client"
    ):
        OpenAICompatibleClient(LLMSettings(base_url="http://localhost:8080/v1"))


def test_connect_with_a_configured_server_is_also_refused_without_opting_in():
    with pytest.raises(RealClientForbidden):
        connect(LLMSettings(api_key="sk-test"))


@pytest.mark.allow_llm_client
def test_the_marker_opts_in():
    from interviewer.openai_api.chat import OpenAICompatibleClient

    client = OpenAICompatibleClient(LLMSettings(base_url="http://localhost:8080/v1", model="qwen"))

    assert isinstance(client, LLMClient) and client.model == "qwen"
    client.close()


def test_the_fixture_opts_in(allow_llm_client):
    assert FORBID_REAL_CLIENT_ENV not in os.environ


def test_connect_is_offline_without_a_server():
    assert connect(LLMSettings()) is None
    assert connect(LLMSettings(api_key="sk-test", offline=True)) is None


@pytest.mark.allow_llm_client
def test_connect_gives_the_grader_its_own_model():
    settings = LLMSettings(base_url="http://localhost:11434/v1", model="llama3.1:8b", grader_model="qwen2.5:14b")

    interviewer_llm, grader_llm = connect(settings), connect(settings, purpose="grader")

    assert interviewer_llm is not None and interviewer_llm.model == "llama3.1:8b"
    assert grader_llm is not None and grader_llm.model == "qwen2.5:14b"


@pytest.mark.allow_llm_client
def test_a_client_without_a_server_is_a_config_error():
    from interviewer.openai_api.chat import OpenAICompatibleClient

    with pytest.raises(LLMConfigError, match=r"OPENAI_API_KEY.*OPENAI_BASE_URL"):
        OpenAICompatibleClient(LLMSettings())


def test_llm_settings_from_the_shell_do_not_reach_tests(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch):
    pytester.makeconftest((Path(__file__).parents[1] / "conftest.py").read_text())
    pytester.makepyfile(
        """
        import os
        from interviewer.llm.config import LLMSettings

        def test_offline():
            assert "OPENAI_API_KEY" not in os.environ
            assert not LLMSettings.from_env().is_configured
        """
    )
    # As if the developer had these in their shell when running pytest.
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-the-shell-0123456789")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://localhost:11434/v1")

    result = pytester.runpytest_inprocess("-q", "-p", "no:cacheprovider")

    result.assert_outcomes(passed=1)
