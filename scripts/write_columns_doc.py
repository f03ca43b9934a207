"""Write docs/COLUMNS.md from transcript_alliance/column_docs.py.

python scripts/write_columns_doc.py
"""

from __future__ import annotations

from pathlib import Path

from transcript_alliance.column_docs import render_markdown

ROOT = Path(__file__).resolve().parents[1]

if __name__ == "__main__":
    path = ROOT / "docs" / "COLUMNS.md"
    path.write_text(render_markdown() + "\n", encoding="utf-8")
    print(f"written {path}")
