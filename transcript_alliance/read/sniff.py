"""Guess a transcript's format from its first bytes, to confirm (or correct) the extension."""

from __future__ import annotations

import io
import re
import zipfile

_SRT_START = re.compile(r"^\s*\d+\s*\r?\n\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s+-->")


def sniff_format(data: bytes) -> str | None:
    """Guess a transcript's format from its first bytes, to confirm or correct the extension.

    Parameters
    ----------
    data : bytes
        The file's bytes (only the start is looked at).

    Returns
    -------
    str or None
        'docx', 'xlsx', 'vtt', 'chat', 'srt', 'json', 'jsonl', or None when unsure (plain
        text and CSV have no signature).
    """
    if data[:4] == b"PK\x03\x04":
        return _zip_kind(data)
    head = _head_text(data)
    stripped = head.lstrip()
    if stripped.startswith("WEBVTT"):
        return "vtt"
    if stripped.startswith(("@UTF8", "@Begin")):
        return "chat"
    if _SRT_START.match(head):
        return "srt"
    if stripped.startswith("{"):
        first = stripped.split("\n", 1)[0].strip()
        return "jsonl" if first.endswith("}") and "\n{" in stripped else "json"
    if stripped.startswith("["):
        return "json"
    return None


def _zip_kind(data: bytes) -> str | None:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "word/document.xml" in names:
        return "docx"
    return "xlsx" if "xl/workbook.xml" in names else None


def _head_text(data: bytes) -> str:
    head = data[:4096]
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(encoding, errors="ignore")
    return head.decode("utf-8", errors="ignore")
