"""No side effects at import: the toolkit goes offline only while it loads a model."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from transcript_alliance.annotate.classifier.encoder import OFFLINE_ENVIRONMENT, offline_hub


def test_importing_the_package_leaves_the_environment_unchanged():
    # scikit-learn sets KMP_* for OpenMP when it is imported: its doing, not ours
    probe = (
        "import json, os, sklearn; before = dict(os.environ)\n"
        "import transcript_alliance as ta\n"
        "ta.code; ta.iter_code; ta.analyze; ta.Pipeline; ta.build_report\n"
        "import transcript_alliance.cli\n"
        "print(json.dumps([before == dict(os.environ), "
        "[k for k in os.environ if k.startswith(('HF_', 'TRANSFORMERS_'))]]))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_"))}
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [True, []]


def test_offline_hub_sets_the_switches_while_loading_and_restores_them(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    with offline_hub():
        assert all(os.environ[k] == v for k, v in OFFLINE_ENVIRONMENT.items())
    assert os.environ["HF_HUB_OFFLINE"] == "0"
    assert "TRANSFORMERS_OFFLINE" not in os.environ


def test_offline_hub_restores_after_an_error(monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    try:
        with offline_hub():
            raise RuntimeError("load failed")
    except RuntimeError:
        pass
    assert "HF_HUB_OFFLINE" not in os.environ
