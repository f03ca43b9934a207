"""The command line as a user meets it: help with examples, outputs by suffix, inspect."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys

import pandas as pd
import pytest

from transcript_alliance import __version__
from transcript_alliance.annotate.markers import load_codebook
from transcript_alliance.cli import app, main
from transcript_alliance.cli.output import as_flags

from .conftest import ROOT, SAMPLES

COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands)
SUBCOMMANDS = sorted(
    f"{group.name} {c.name}"
    for group in app.registered_groups
    for c in group.typer_instance.registered_commands
)

CALLBACKS = {c.name or c.callback.__name__: c.callback for c in app.registered_commands} | {
    f"{group.name} {c.name}": c.callback
    for group in app.registered_groups
    for c in group.typer_instance.registered_commands
}


@pytest.mark.parametrize("command", COMMANDS + SUBCOMMANDS)
def test_every_command_has_help_with_an_example(command, run_cli):
    result = run_cli(*command.split(), "--help")
    assert result.code == 0
    assert "Example: transcript-alliance" in result.out
    example = result.out.split("Example: ")[1].splitlines()[0]
    assert example == (CALLBACKS[command].__doc__ or "").split("Example: ")[1].strip()  # whole
    assert run_cli(*command.split(), "-h").out == result.out  # -h is --help everywhere


def test_every_command_has_help_text():
    for command in app.registered_commands + [
        c for group in app.registered_groups for c in group.typer_instance.registered_commands
    ]:
        doc = command.callback.__doc__ or ""
        assert len(doc.split("Example:")[0].strip()) > 20, command.callback.__name__
    for group in app.registered_groups:
        assert group.typer_instance.info.help


def test_shared_options_are_declared_once():
    """Every flag more than one command takes is declared in cli/options.py alone, and
    the commands are registered in cli/app.py, not by import side effects."""
    sources = {p.name: p.read_text() for p in (ROOT / "transcript_alliance" / "cli").glob("*.py")}
    for flag in (
        "--session-type",
        "--format",
        "--roles",
        "--columns",
        "--manifest",
        "--codebook",
        "--classifier",
        "--estimator",
        "--instrument",
        "--redact",
    ):
        option = re.compile(r"typer\.Option\(\s*\"" + flag + '"')
        declared = sorted(name for name, text in sources.items() if option.search(text))
        # `codebook export --format md` is another option under the same flag
        assert declared == (["marking.py", "options.py"] if flag == "--format" else ["options.py"])
    assert not any("isort: split" in text for text in sources.values())
    assert not any("@app.command" in text for text in sources.values())


# Usage slips, each through the real entry points: one short message, exit status 2.
USAGE_SLIPS = {
    "mistyped option": (["--versio"], "No such option: --versio"),
    "mistyped command": (["sgment"], "No such command 'sgment'"),
    "unknown option": (["segment", "--bogus"], "No such option: --bogus"),
    "missing argument": (["calibrate"], "Missing argument"),
    "bad integer": (["code", "x.txt", "--workers", "many"], "'--workers'"),
    "bad choice": (["code", "x.txt", "--backend", "spark"], "'spark' is not one of"),
    "bad session type": (["codebook", "show", "--session-type", "medicaton"], "'medicaton'"),
    "bad instrument": (["compare", "s.csv", "r.csv", "--instrument", "wai"], "'wai' is not one"),
}
ENTRY_POINT = (
    "import sys; from importlib.metadata import entry_points; "
    "main = entry_points(group='console_scripts')['transcript-alliance'].load(); "
    "sys.argv[0] = 'transcript-alliance'; main()"
)


def _run(how: str, args: list[str]) -> subprocess.CompletedProcess:
    start = [sys.executable, "-m", "transcript_alliance"]
    if how == "script":  # what the installed `transcript-alliance` script runs
        start = [sys.executable, "-c", ENTRY_POINT]
    return subprocess.run([*start, *args], capture_output=True, text=True, check=False)


@pytest.mark.parametrize("slip", list(USAGE_SLIPS), ids=list(USAGE_SLIPS))
def test_usage_slips_are_one_short_message_and_status_2(slip):
    args, words = USAGE_SLIPS[slip]
    result = _run("module", args)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert words in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 5, result.stderr
    assert "-h' for help" in result.stderr


@pytest.mark.parametrize("how", ["module", "script"])
def test_the_console_script_and_python_dash_m_take_the_same_slips(how):
    assert "transcript_alliance.cli:main" in (ROOT / "pyproject.toml").read_text()
    result = _run(how, ["--version"])
    assert result.returncode == 0 and result.stdout.strip() == f"transcript-alliance {__version__}"
    result = _run(how, ["segment", "--bogus"])
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "No such option: --bogus" in result.stderr
    result = _run(how, ["segment", "nothere.txt"])  # the toolkit's own errors: one line too
    assert result.returncode == 2 and "error: nothere.txt: no such file" in result.stderr
    assert "Traceback" not in result.stderr


def test_main_takes_arguments_from_python(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0 and capsys.readouterr().out.strip().endswith(__version__)
    with pytest.raises(SystemExit) as stop:
        main(["segment", "--bogus"])
    assert stop.value.code == 2 and "No such option" in capsys.readouterr().err


def test_every_command_is_in_the_readme(command=None):
    readme = (ROOT / "README.md").read_text()
    for name in COMMANDS + [g.name for g in app.registered_groups]:
        assert f"transcript-alliance {name}" in readme


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".parquet", ".jsonl"])
def test_segment_writes_the_table_by_suffix(suffix, run_cli, tmp_path):
    out = tmp_path / f"u{suffix}"
    result = run_cli("segment", "--manifest", SAMPLES / "manifest.csv", "--out", out)
    assert result.code == 0, result.err
    if suffix == ".parquet":
        table = pd.read_parquet(out)
    elif suffix == ".jsonl":
        table = pd.read_json(out, lines=True)
    else:
        table = pd.read_csv(out, sep="\t" if suffix == ".tsv" else ",")
    assert list(table.columns[:8]) == [
        "session_id",
        "turn",
        "utterance",
        "role",
        "speaker",
        "start",
        "end",
        "text",
    ]
    assert table.session_id.nunique() == 12
    assert set(table.role) == {"therapist", "client"}
    assert (table[table.session_id == "maya_02"].client_id == "C01").all()
    assert not list(tmp_path.glob(".*.tmp"))


def test_segment_to_stdout_and_folders(run_cli):
    result = run_cli("segment", SAMPLES / "sessions")
    assert result.code == 0
    assert result.out.startswith("session_id,turn,utterance,role,speaker")
    assert {"maya_01", "couple_01", "jordan_03"} <= {
        line.split(",", 1)[0] for line in result.out.splitlines()[1:]
    }


def test_inspect_json(run_cli):
    result = run_cli("inspect", SAMPLES / "sessions" / "maya_04.json", "--json")
    assert result.code == 0
    summary = json.loads(result.out)
    assert summary["format"] == "whisper"
    assert {s["role"] for s in summary["speakers"]} == {"therapist", "client"}
    assert summary["duration_seconds"] > 60
    assert any("roles guessed" in w for w in summary["warnings"])


def test_inspect_table(run_cli):
    result = run_cli("inspect", SAMPLES / "sessions" / "couple_01.txt")
    assert result.code == 0
    assert "Priya" in result.out and "backchannel 2" in result.out


@pytest.mark.slow
def test_python_dash_m_runs_the_same_cli():
    result = subprocess.run(
        [sys.executable, "-m", "transcript_alliance", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert "segment" in result.stdout and "inspect" in result.stdout


@pytest.mark.slow
def test_train_evaluate_predict_suggest_from_the_command_line(run_cli, tmp_path):
    corpus = pd.read_csv(ROOT / "data/annotations/utterances.csv", dtype=str, keep_default_na=False)
    user_csv = tmp_path / "coded.csv"  # a user's own file: no split column, codes as text
    keep = sorted(corpus["session_id"].unique())[:30]
    corpus[corpus["session_id"].isin(keep)].drop(columns="split").to_csv(user_csv, index=False)
    model = tmp_path / "model"
    result = run_cli("train", user_csv, "--out", model, "--seed", "3")
    assert result.code == 0, result.err
    assert "macro-F1" in result.out
    assert (model / "MODEL_CARD.md").read_text().count("| we_language |") == 1

    result = run_cli("evaluate", model, user_csv, "--out", tmp_path / "eval.csv")
    assert result.code == 0, result.err
    assert "training data" in result.err  # scoring its own training data is flagged
    summary = json.loads((tmp_path / "eval.json").read_text())
    assert {"macro_f1", "mean_kappa", "ece", "calibration", "per_code"} <= set(summary)
    assert len(pd.read_csv(tmp_path / "eval.csv")) == len(summary["per_code"])

    out = tmp_path / "p.parquet"
    result = run_cli("predict", model, SAMPLES / "sessions", "--out", out, "--markers")
    assert result.code == 0, result.err
    table = pd.read_parquet(out)
    assert {"session_id", "text", "p_empathy_validation", "m_repair"} <= set(table.columns)
    assert table["p_repair"].between(0, 1).all()

    result = run_cli(
        "suggest", model, SAMPLES / "sessions", "--n", "7", "--out", tmp_path / "s.csv"
    )
    assert result.code == 0, result.err
    picked = pd.read_csv(tmp_path / "s.csv", keep_default_na=False)
    assert len(picked) == 7
    assert picked["uncertainty"].is_monotonic_decreasing
    assert {"context", "codes", "least_certain_code"} <= set(picked.columns)


def test_bad_training_data_is_one_line_and_status_2(run_cli, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("session_id,text,role,codes\na,Hello,client,hugging\n")
    result = run_cli("train", bad, "--out", tmp_path / "m")
    assert result.code == 2
    assert result.err.strip() == (
        f"error: {bad}: row 2: unknown code 'hugging': expected a code of the codebook "
        f"({', '.join(load_codebook().ids)})"
    )
    assert "Traceback" not in result.err
    assert not (tmp_path / "m").exists()


def test_a_damaged_model_is_refused_from_the_command_line(run_cli, tmp_path):
    (tmp_path / "model.json").write_text("{}")
    result = run_cli("predict", tmp_path, SAMPLES / "sessions" / "maya_01.txt")
    assert result.code == 2
    assert "model.json" in result.err and "Traceback" not in result.err


def test_cli_starts_without_the_heavy_libraries():
    """The CLI (and so every `code` worker, which imports the entry point under spawn)
    loads spaCy, torch and scikit-learn only in the commands that use them."""
    probe = (
        "import sys, transcript_alliance.cli, transcript_alliance.run.coding; "
        "print(sorted(m for m in ('spacy', 'torch', 'sklearn', 'thinc') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def _message_strings(tree: ast.AST) -> list[str]:
    """Every string literal of a module but its docstrings."""
    docs = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
    ]


def test_library_messages_name_parameters_not_flags():
    """Outside cli/, messages name a parameter in backticks; the CLI maps it to its flag."""
    flag = re.compile(r"(?<![\w-])--[a-z][a-z-]+")
    package = ROOT / "transcript_alliance"
    for path in package.rglob("*.py"):
        if "cli" in path.relative_to(package).parts:
            continue
        for text in _message_strings(ast.parse(path.read_text())):
            if "transcript-alliance " in text:  # a whole command line, quoted as one
                continue
            assert not flag.search(text), f"{path.relative_to(ROOT)}: {text!r}"


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        ("`roles`: 'T=doctor': the role must be therapist", "--roles: 'T=doctor'"),
        ("`session_type` surgery: expected", "--session-type surgery: expected"),
        ("or pass `format`", "or pass --format"),
        ("check with `inspect` or `roles`", "check with `inspect` or --roles"),
    ],
)
def test_the_cli_shows_flags_where_the_library_names_parameters(message, shown):
    assert shown in as_flags(message)


def test_code_writes_the_codes_behind_each_evidence_weight(run_cli, tmp_path):
    from transcript_alliance.estimate.estimator import parse_codes

    session = tmp_path / "upset.txt"
    lines = ["Therapist: How was the week?", "Client: Busy, with work and my sister."] * 5
    lines += [
        "Therapist: How was today for you?",
        "Client: I feel awful and angry, this was a waste of time.",
    ]
    session.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "coded"
    result = run_cli("code", session, "--out", out, "--classifier", "none", "--resamples", "20")
    assert result.code == 0, result.err
    evidence = pd.read_csv(out / "evidence.csv", keep_default_na=False)
    assert list(evidence.columns)[-2:] == ["codes", "text"]
    upset = evidence[
        evidence["text"].str.startswith("I feel awful") & (evidence.component == "task")
    ]
    parts = parse_codes(upset["codes"].iloc[0])
    assert parts["negative_affect"] == pytest.approx(-0.844)
    assert sum(parts.values()) == pytest.approx(upset["weight"].iloc[0], abs=0.01)
    for row in evidence.itertuples():  # every weight with its codes, largest first
        values = list(parse_codes(row.codes).values())
        assert values and sorted(values, key=abs, reverse=True) == values
        assert sum(values) == pytest.approx(row.weight, abs=0.002 * len(values))
