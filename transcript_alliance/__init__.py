"""transcript_alliance: the therapeutic working alliance (Goal, Task, Bond) estimated from
psychotherapy session transcripts, offline, every score traceable to its words."""

from __future__ import annotations

import os

# Nothing leaves the machine: libraries that could reach a model hub are told not to.
for _var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

from .errors import InputError, OptionError, TranscriptAllianceError  # noqa: E402
from .inspection import describe_session  # noqa: E402
from .readers import FORMATS, read_session  # noqa: E402
from .segment import segment_session, segment_sessions  # noqa: E402
from .session import Event, Role, Session, SpeakerInfo, Turn, Utterance  # noqa: E402
from .tables import utterance_table, write_table  # noqa: E402

__version__ = "0.1.0"

__all__ = [
    "FORMATS",
    "Event",
    "InputError",
    "OptionError",
    "Role",
    "Session",
    "SpeakerInfo",
    "TranscriptAllianceError",
    "Turn",
    "Utterance",
    "__version__",
    "describe_session",
    "read_session",
    "segment_session",
    "segment_sessions",
    "utterance_table",
    "write_table",
]
