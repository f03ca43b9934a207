"""Session estimates against ESConv seekers' own ratings, with baselines.

ESConv (Liu et al., 2021): after each real peer-support chat the help-seeker rated the
supporter's empathy and the relevance of the supporter's responses (1-5). They stand in
for a client's Bond and Goal/Task self-reports: proxies, not the WAI, and peer support,
not psychotherapy. This script codes every dialogue with the toolkit (markers + the
`default` classifier, the packaged estimator, never fitted on this data) and reports:
(a) the default estimates against the ratings, (b) `calibrate` cross-validated on the
same dialogues (5 folds; each dialogue is its own client), (c) two baselines under the
same folds: the seeker's VADER sentiment over their last three turns, and a TF-IDF ridge
regression of the whole dialogue. Prints the Markdown of docs/VALIDATION.md.

    python scripts/validate_esconv_alliance.py [--coded /tmp/esconv_sessions.parquet]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pingouin as pg
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import RidgeCV
from sklearn.model_selection import GroupKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

sys.path.insert(0, str(Path(__file__).resolve().parent))

from esconv_data import DEFAULT_DATA, read_dialogues, read_failed, read_sessions

from transcript_alliance.comparison.agreement import compare_reports
from transcript_alliance.comparison.selfreport import SelfReports, load_instrument
from transcript_alliance.estimate.estimator import load_estimator
from transcript_alliance.estimate.fitting import ALPHAS, calibrate, rate_features
from transcript_alliance.run.analysis import analyze_sessions
from transcript_alliance.segment.utterances import segment_sessions

TARGETS = {"bond": "empathy", "goal": "relevance", "task": "relevance"}
FOLDS = 5


def ratings(path: Path) -> pd.DataFrame:
    rows = []
    for number, record in enumerate(read_dialogues(path)):
        seeker = record.get("survey_score", {}).get("seeker", {})
        rows.append({"session_id": f"esconv_{number:04d}",
                     **{k: pd.to_numeric(seeker.get(k), errors="coerce")
                        for k in ("empathy", "relevance")}})  # fmt: skip
    return pd.DataFrame(rows)


def coded_sessions(sessions: list, cache: Path | None) -> tuple[pd.DataFrame, list]:
    sessions = segment_sessions(sessions)
    if cache and cache.exists():
        return pd.read_parquet(cache), sessions
    results = analyze_sessions(sessions, resamples=100)
    table = pd.DataFrame([r.row() for r in results])
    if cache:
        table.to_parquet(cache)
    return table, sessions


def vader_last_three(sessions) -> pd.Series:
    analyzer = SentimentIntensityAnalyzer()
    values = {}
    for s in sessions:
        seeker = [t.text for t in s.turns if t.role.value == "client"][-3:]
        values[s.session_id] = np.mean([analyzer.polarity_scores(t)["compound"] for t in seeker])
    return pd.Series(values)


def dialogue_text(sessions) -> pd.Series:
    return pd.Series({s.session_id: " ".join(f"{t.role.value}: {t.text}" for t in s.turns)
                      for s in sessions})  # fmt: skip


def correlation(x: np.ndarray, y: np.ndarray) -> str:
    if np.std(x) == 0:
        return "- (constant)"
    row = pg.corr(x, y).iloc[0]
    rho = pg.corr(x, y, method="spearman").iloc[0]["r"]
    low, high = row["CI95"]
    return f"{row['r']:.2f} [{low:.2f}, {high:.2f}] | {rho:.2f}"


def cv_predict(model, X, y, groups) -> np.ndarray:
    return cross_val_predict(model, X, y, cv=GroupKFold(n_splits=FOLDS), groups=groups)


def report(data: pd.DataFrame, sessions: list) -> None:
    """The table of (a), (b), (c) for one set of rated dialogues."""
    features = rate_features(data)
    vader = vader_last_three(sessions).reindex(data["session_id"]).to_numpy()
    text = dialogue_text(sessions).reindex(data["session_id"]).to_numpy()
    print("| estimate vs rating | system | Pearson r [95% CI] | Spearman | MAE |")
    print("|---|---|---|---|---|")
    for component, rating in TARGETS.items():
        keep = data[rating].notna().to_numpy()
        y = data.loc[keep, rating].to_numpy(float)
        groups = data.loc[keep, "session_id"].to_numpy()  # each dialogue its own client
        systems = {"default estimator (not fitted)": data.loc[keep, component].to_numpy(float)}
        ridge = make_pipeline(StandardScaler(), RidgeCV(alphas=ALPHAS))
        systems["calibrated (ridge on rates, 5-fold CV)"] = cv_predict(
            ridge, features[keep].to_numpy(), y, groups
        )
        systems["baseline: seeker VADER, last 3 turns (5-fold CV)"] = cv_predict(
            RidgeCV(alphas=ALPHAS), vader[keep].reshape(-1, 1), y, groups
        )
        tfidf = make_pipeline(TfidfVectorizer(min_df=3, ngram_range=(1, 2), sublinear_tf=True),
                              RidgeCV(alphas=ALPHAS))  # fmt: skip
        systems["baseline: TF-IDF ridge of the dialogue (5-fold CV)"] = cv_predict(
            tfidf, text[keep], y, groups
        )
        for name, predicted in systems.items():
            mae = np.abs(np.clip(predicted, 1, 5) - y).mean()
            print(f"| {component} vs {rating} | {name} | {correlation(predicted, y)} | {mae:.2f} |")
    for rating in ("empathy", "relevance"):
        values = data[rating].dropna()
        print(f"\n{rating}: n {len(values)}, mean {values.mean():.2f}, sd {values.std():.2f}, "
              f"share of 5s {(values == 5).mean():.0%}")  # fmt: skip


def through_the_commands(table: pd.DataFrame, rated: pd.DataFrame) -> None:
    """The same data through `compare` and `calibrate`'s own code: the ratings as a
    subscale-level self-report on the 1-5 metric (bond = empathy, goal = task = relevance)."""
    frame = pd.DataFrame({
        "session_id": rated["session_id"], "client_id": rated["session_id"],
        "session_number": 1, "rater": "client", "goal": rated["relevance"],
        "task": rated["relevance"], "bond": rated["empathy"], "total": np.nan,
    })  # fmt: skip
    reports = SelfReports(frame, load_instrument("wai-sr"), "subscales")
    sessions = table.assign(client_id=table["session_id"])
    print("\n`compare` (ICC(A,1), Bland-Altman bias and limits):\n")
    for r in compare_reports(sessions, reports):
        ba, icc = r.get("bland_altman", {}), r.get("icc") or {}
        print(f"- {r['component']}: n {r['n']}, Pearson {r['pearson']['r']:.2f}, ICC "
              f"{icc.get('icc', float('nan')):.2f}, bias {ba.get('bias', float('nan')):+.2f} "
              f"[{ba.get('lower', float('nan')):.2f}, {ba.get('upper', float('nan')):.2f}], "
              f"MAE {r.get('mae', float('nan')):.2f}")  # fmt: skip
    _, result = calibrate(sessions, reports, load_estimator(), folds=FOLDS)
    print("\n`calibrate` (ridge, 5 folds grouped by dialogue):\n")
    for component, r in result["components"].items():
        cal, base = r["calibrated_cv"], r["default"]
        print(
            f"- {component}: calibrated CV r {cal['r']:.2f}, MAE {cal['mae']:.2f}; "
            f"default r {base['r']:.2f}, MAE {base['mae']:.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--coded", type=Path, help="cache of the coded sessions (parquet)")
    args = parser.parse_args()
    main_sessions, _ = read_sessions(args.data)
    table, sessions = coded_sessions(main_sessions, args.coded)
    data = table.merge(ratings(args.data), on="session_id")
    print(f"### (1) dialogues.jsonl: {len(sessions)} dialogues\n")
    report(data, sessions)
    dist = data[["goal", "task", "bond"]].describe().loc[["mean", "std", "min", "max"]]
    through_the_commands(table, data)
    print("\nDefault estimates over these dialogues:\n")
    print(dist.round(2).to_markdown())
    failed, failed_ratings = read_failed(args.data.with_name("failed_dialogues.json"))
    cache = args.coded.with_name(args.coded.stem + "_failed.parquet") if args.coded else None
    failed_table, failed_sessions = coded_sessions(failed, cache)
    extra = failed_table.merge(pd.DataFrame(failed_ratings).apply(
        lambda c: pd.to_numeric(c, errors="coerce") if c.name != "session_id" else c
    ), on="session_id")  # fmt: skip
    both = pd.concat([data, extra], ignore_index=True)
    print(f"\n### (2) with the {len(failed_sessions)} dialogues the authors set aside as "
          "unsuccessful (failed_dialogues.json), whose ratings span the scale\n")  # fmt: skip
    report(both, sessions + failed_sessions)


if __name__ == "__main__":
    main()
