"""De-identification by kind on lower-case speech-recognition text (issue 19, fifth round):
spoken years, spoken house and room numbers, institutions and parks named by ordinary
words, lower-case IDs, and the decoys of each kind that must stay."""

from __future__ import annotations

import pytest

pytest.importorskip("presidio_analyzer")

from transcript_alliance.deid.engine import find_identifiers


def _spans(text: str) -> list[tuple[str, str]]:
    (found,) = find_identifiers([text])
    return [(text[f.start : f.end], f.kind) for f in found]


@pytest.mark.parametrize(
    ("said", "span", "kind"),
    [
        # calendar dates with years said aloud, and years tied to a life event
        (
            "she was born march ninth nineteen eighty two i think",
            "march ninth nineteen eighty two",
            "DATE",
        ),
        (
            "it was the second of june two thousand and seven",
            "the second of june two thousand and seven",
            "DATE",
        ),
        ("dad passed in october twenty oh nine", "october twenty oh nine", "DATE"),
        ("they got married in like nineteen ninety", "nineteen ninety", "DATE"),
        ("we moved here back in twenty seventeen for work", "twenty seventeen", "DATE"),
        ("she was born in 1988 in a snowstorm", "1988", "DATE"),
        ("he died in november and i still miss him", "november", "DATE"),
        ("can we meet wednesday the 12th instead", "wednesday the 12th", "DATE"),
        ("the card came in january 2021 finally", "january 2021", "DATE"),
        # street addresses with house numbers said aloud, rooms, units, streets after 'on'
        (
            "she lives at six fifty one mayfield terrace now",
            "six fifty one mayfield terrace",
            "ADDRESS",
        ),
        (
            "it's twenty two oh five quarry hill road",
            "twenty two oh five quarry hill road",
            "ADDRESS",
        ),
        (
            "i'm in pemberton hall room two twelve this year",
            "pemberton hall room two twelve",
            "ADDRESS",
        ),
        ("we rented 41 old mill road, apartment 3c", "41 old mill road, apartment 3c", "ADDRESS"),
        ("the bakery on market street closed", "market street", "ADDRESS"),
        ("she's on east 12th street now", "east 12th street", "ADDRESS"),
        # institutions and parks named by ordinary words before a head noun
        (
            "i was at tri county behavioral health for a year",
            "tri county behavioral health",
            "ORGANIZATION",
        ),
        (
            "he's at maple grove nursing and rehab since may",
            "maple grove nursing and rehab",
            "ORGANIZATION",
        ),
        ("she sees someone at west end counseling", "west end counseling", "ORGANIZATION"),
        ("the nurses from hollister hospice came every day", "hollister hospice", "ORGANIZATION"),
        ("mom is at brookfield senior living now", "brookfield senior living", "ORGANIZATION"),
        ("we got married at second baptist downtown", "second baptist", "ORGANIZATION"),
        ("we camped at salt fork state park last summer", "salt fork state park", "LOCATION"),
        ("i walk the dog around hanley park most mornings", "hanley park", "LOCATION"),
        (
            "services are at new albany pentecostal on sunday",
            "new albany pentecostal",
            "ORGANIZATION",
        ),
        (
            "she just started at westerville primary this fall",
            "westerville primary",
            "ORGANIZATION",
        ),
        (
            "email me, dana reyes forty four at yahoo dot com",
            "dana reyes forty four at yahoo dot com",
            "EMAIL",
        ),
        # IDs in lower case
        ("my member id is qhx552019384 on the card", "qhx552019384", "ID"),
        ("the claim is mc-4410-77215 i think", "mc-4410-77215", "ID"),
        ("it's rx 7720931 at the counter", "rx 7720931", "ID"),
        # names after ranks, weak titles with a surname, nicknames, kin
        ("my lieutenant lieutenant garvey signed it", "lieutenant garvey", "PERSON"),
        ("the ref and coach kowalczyk argued", "coach kowalczyk", "PERSON"),
        ("everyone called him moose in high school", "moose", "PERSON"),
        ("my grandson tobias set it up for me", "tobias", "PERSON"),
    ],
)
def test_kinds_in_lower_case(said: str, span: str, kind: str) -> None:
    found = _spans(said)
    assert any(span in s and k == kind for s, k in found), found
    assert not any(s in span and k != kind for s, k in found), found


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        # years and numbers that date nobody: a score, a count, an age, a bare year
        ("the final score was twenty twenty and we lost", "twenty twenty"),
        ("i was nineteen when it happened", "nineteen"),
        ("we lived there since 1961", "1961"),
        ("march nineteen people came to the group", "march"),
        # a month with no day and no life event
        ("we usually go camping in june", "june"),
        ("i've been clean since august", "august"),
        ("not since that whole thing back in july", "july"),
        ("i stopped in like april because i ran out", "april"),
        # generic institutions and places: no proper name before the head noun
        ("i'd like you to see someone in our psychiatry clinic", "psychiatry clinic"),
        ("we did couples counseling for a year", "couples counseling"),
        ("he went to drug rehab twice", "drug rehab"),
        ("we took the kids to the park and the lake", "park"),
        ("it was a long road to get here", "long road"),
        ("i was in my dorm room three nights in a row", "dorm room three"),
        ("the first church we tried was too big", "first church"),
        # doses, times and model numbers are no IDs
        ("i take 20mg now and 10000iu of vitamin d", "10000iu"),
        ("the rtx4090 was on sale at 10:30am", "rtx4090"),
        # programmes, medicines, chat words and words after kin or greetings
        ("the billing office said your medicare number didn't go through", "medicare"),
        ("prazosin from the clinic helps the nightmares", "prazosin"),
        ("i vape and the copay went up", "vape"),
        ("she thinks i'm her brother half the time", "half"),
        ("all right thank you dear", "dear"),
        ("he called me crazy and then he called her mom", "crazy"),
        ("i retired from the army after twenty years", "army"),
        ("it was my primary concern and the new primary care clinic", "primary"),
        ("whatever works doc", "doc"),
        ("hi welcome to group everyone", "welcome"),
    ],
)
def test_decoys_stay(said: str, kept: str) -> None:
    (found,) = find_identifiers([said])
    start = said.index(kept)
    end = start + len(kept)
    assert not [said[f.start : f.end] for f in found if f.start < end and start < f.end]
