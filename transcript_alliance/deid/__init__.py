"""De-identification: names, places, organisations, dates, ages over 89, phone numbers,
emails, addresses and IDs replaced by consistent pseudonyms (`[PERSON_1]`), with an
offset map back to the original text. Needs the `[deid]` extra (Presidio).

    redactions = pseudonymise_sessions(client_sessions)   # in place, one client's sessions
"""

from .files import deidentify_files
from .pseudonyms import OffsetMap, PseudonymTable
from .sessions import Redaction, is_role_label, pseudonymise_sessions

__all__ = [
    "OffsetMap",
    "PseudonymTable",
    "Redaction",
    "deidentify_files",
    "is_role_label",
    "pseudonymise_sessions",
]
