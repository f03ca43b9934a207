"""Loading spaCy pipelines: other packages' spaCy plugins are imported only when needed."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

import pytest

PROBE = """
import sys
from importlib.metadata import entry_points
from spacy.util import registry
from transcript_alliance.annotate.markers import marker_pipeline
from transcript_alliance.nlp import sentence_pipeline

marker_pipeline(); sentence_pipeline()
plugins = [e.value.split(":")[0] for e in entry_points(group="spacy_factories")]
print([p for p in plugins if p in sys.modules], registry._entry_point_factories.entry_points)
"""


def test_the_toolkits_pipelines_do_not_import_other_packages_plugins():
    if not list(entry_points(group="spacy_factories")):
        pytest.skip("no package here registers a spaCy plugin (presidio, in the [deid] extra)")
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    # none imported, and spaCy's own switch is back on for whatever the process loads next
    assert result.stdout.split() == ["[]", "True"]


PLUGIN = """
from spacy.language import Language

@Language.component("project_test_plugin")
def plugin(doc):
    doc.user_data["plugin ran"] = True
    return doc
"""

LOAD = """
import sys
from transcript_alliance.nlp import load_spacy

nlp = load_spacy(sys.argv[1])
print(nlp.pipe_names, nlp("a test").user_data.get("plugin ran"))
"""


def test_a_pipeline_made_with_a_plugin_still_loads(tmp_path: Path):
    """A pipeline whose component comes from a package's `spacy_factories` entry point
    (written here: a one-component plugin and its metadata) loads the usual way."""
    package = tmp_path / "site"
    (package / "project_test_plugin").mkdir(parents=True)
    (package / "project_test_plugin" / "__init__.py").write_text(textwrap.dedent(PLUGIN))
    info = package / "project_test_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: project-test-plugin\nVersion: 0.1\n"
    )
    (info / "entry_points.txt").write_text(
        "[spacy_factories]\nproject_test_plugin = project_test_plugin:plugin\n"
    )
    saved = tmp_path / "pipeline"
    build = (
        "import sys, spacy, project_test_plugin; nlp = spacy.blank('en'); "
        "nlp.add_pipe('project_test_plugin'); nlp.to_disk(sys.argv[1])"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(package), *sys.path])}
    made = subprocess.run(
        [sys.executable, "-c", build, str(saved)], env=env, capture_output=True, text=True
    )
    assert made.returncode == 0, made.stderr
    result = subprocess.run(
        [sys.executable, "-c", LOAD, str(saved)], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["['project_test_plugin']", "True"]
