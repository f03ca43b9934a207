"""Turn a file's bytes into text: BOMs first, then UTF-8, then cp1252 line by line.

A fixed rule rather than a statistical guesser (charset-normalizer, chardet): transcripts are
short and mostly ASCII, where guessers flip between Latin encodings from run to run; the
rule below is reproducible and covers what transcription tools and word processors write.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError

# Control characters other than tab, newline, carriage return, form feed and NAK (CHAT's
# time-mark delimiter): a few in a text file are noise; many mean the file is not text.
_CONTROL = {chr(c) for c in range(32)} - {"\t", "\n", "\r", "\f", "\x15"}
_MAX_CONTROL_SHARE = 0.01


@dataclass
class DecodedText:
    """A file's bytes as text.

    Attributes
    ----------
    text : str
        The decoded text.
    encoding : str
        "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be" or "cp1252" (or a mix
        noted in the warnings).
    warnings : list of str
        What the decoder had to guess (lines read as cp1252, stray control characters).
    """

    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def decode_bytes(data: bytes, path: str | Path) -> DecodedText:
    """Decode a transcript file: BOMs first, then UTF-8, then cp1252 line by line.

    Parameters
    ----------
    data : bytes
        The file's bytes.
    path : str or Path
        The file, for messages.

    Returns
    -------
    DecodedText
        The text, the encoding used and any warnings.

    Raises
    ------
    InputError
        The file is empty, binary (a NUL byte outside UTF-16), invalid in the encoding its
        BOM names, or holds more than 1% control characters.
    """
    if not data.strip():
        raise InputError(path, "the file is empty; expected a transcript with speaker turns")
    if data.startswith(codecs.BOM_UTF8):
        return _checked(_strict(data[3:], "utf-8", path), "utf-8-sig", path)
    for bom, name in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return _checked(_strict(data[2:], name, path), "utf-16", path)
    if b"\x00" in data:
        guessed = _bomless_utf16(data)
        if guessed is None:
            offset = data.index(b"\x00")
            raise InputError(
                path,
                f"binary data (a NUL byte at byte {offset}); expected a text transcript",
            )
        return _checked(_strict(data, guessed, path), guessed, path)
    try:
        return _checked(data.decode("utf-8"), "utf-8", path)
    except UnicodeDecodeError:
        return _decode_lines(data, path)


def _strict(data: bytes, encoding: str, path: str | Path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        raise InputError(
            path, f"not valid {encoding} at byte {err.start}; expected {encoding} text"
        ) from None


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM shows as NULs in every other byte of ASCII text."""
    sample = data[:4096]
    even, odd = sample[0::2], sample[1::2]
    if odd and odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even and even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _decode_lines(data: bytes, path: str | Path) -> DecodedText:
    """UTF-8 where a line is UTF-8, cp1252 elsewhere; say which lines were cp1252 when the
    file mixes both (a transcript pasted together from different editors)."""
    lines = data.split(b"\n")
    out: list[str] = []
    cp1252_lines: list[int] = []
    utf8_non_ascii = False
    for number, raw in enumerate(lines, start=1):
        try:
            line = raw.decode("utf-8")
            utf8_non_ascii = utf8_non_ascii or not raw.isascii()
        except UnicodeDecodeError:
            try:
                line = raw.decode("cp1252")
            except UnicodeDecodeError as err:
                raise InputError(
                    path,
                    f"byte 0x{raw[err.start]:02x} is neither UTF-8 nor cp1252; "
                    "expected a text transcript",
                    where=f"line {number}",
                ) from None
            cp1252_lines.append(number)
        out.append(line)
    text = "\n".join(out)
    if not utf8_non_ascii:  # Latin-1, Windows-1250 or Mac Roman would read otherwise
        warning = (
            "not UTF-8: read as cp1252 (Windows-1252), the usual encoding of such files, a "
            "guess; check accented letters, or save the file as UTF-8"
        )
        return _checked(text, "cp1252", path, [warning])
    shown = ", ".join(str(n) for n in cp1252_lines[:10])
    more = f" and {len(cp1252_lines) - 10} more" if len(cp1252_lines) > 10 else ""
    if len(cp1252_lines) == 1:
        warning = f"mixed encodings: line {shown} is not UTF-8 and was read as cp1252"
    else:
        warning = f"mixed encodings: lines {shown}{more} are not UTF-8 and were read as cp1252"
    return _checked(text, "utf-8+cp1252", path, [warning])


def _checked(
    text: str, encoding: str, path: str | Path, warnings: list[str] | None = None
) -> DecodedText:
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise InputError(path, "the file holds only whitespace; expected a transcript")
    sample = text[:100_000]
    controls = sum(1 for ch in sample if ch in _CONTROL)
    if controls > _MAX_CONTROL_SHARE * len(sample):
        raise InputError(
            path,
            f"looks binary ({controls} control characters in the first {len(sample)}); "
            "expected a text transcript",
        )
    return DecodedText(text, encoding, warnings or [])
