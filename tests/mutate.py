"""A small mutation check, run on demand (``make mutate``), never in CI.

Why: a test suite can pass while testing the wrong code (issue 17: four planted bugs survived
because the tests checked Python reference functions while the build runs SQL). Each mutant
below is a deliberate bug in the production code; the check copies the tracked files to a
temporary folder, plants one bug at a time there (the worktree is never edited) and runs the
tests named for it, which must fail. It prints one line per mutant and exits 1 when any
survives. Add a mutant whenever a fix comes with a test that should catch its regression.

Usage: ``.venv/bin/python -m tests.mutate [name ...]`` (default: all mutants).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]


class Mutant(NamedTuple):
    """One planted bug: replace ``old`` (which must occur exactly once) by ``new`` in ``path``."""

    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


MUTANTS = (
    Mutant("exact Poisson below 5 events, not 10", "etl/sql/marts/computed_values.sql",
           "CASE WHEN c.count_high < 10 THEN hi.upper", "CASE WHEN c.count_high < 5 THEN hi.upper",
           ("tests/sql/test_build_path_mutants.py",)),
    Mutant("PAR by equal shares, not population shares", "etl/marts/inequality.py",
           'share = g.denominator / g.groupby(KEY)["denominator"].transform("sum")',
           'share = 1.0 / g.groupby(KEY)["denominator"].transform("count")',
           ("tests/sql/test_build_path_mutants.py",)),
    Mutant("no complement suppression of percentages", "etl/sql/marts/computed_values.sql",
           "OR (measure_type = 'percentage' AND denominator - numerator >= 1",
           "OR (false AND denominator - numerator >= 1",
           ("tests/sql/test_build_path_mutants.py",)),
    Mutant("an area total from the present members only", "etl/sql/marts/indicator_sums.sql",
           "CASE WHEN count(f.numerator) = any_value(e.members) THEN sum(f.numerator) END AS numerator,",
           "sum(f.numerator) AS numerator,",
           ("tests/sql/test_build_path_mutants.py",)),
    Mutant("trend test on the normal, not Student's t", "etl/stats/trend_model.py",
           "p_scatter = np.where(phi > 0, 2 * stdtr(np.maximum(df, 1), -scatter), 0.0)",
           "p_scatter = np.where(phi > 0, erfc(scatter / np.sqrt(2)), 0.0)",
           ("tests/property/stats/test_trend_calibration.py",)),
    Mutant("trend test on the known variance alone", "etl/stats/trend_model.py",
           "p = np.where(known, np.maximum(p_known, p_scatter), p_scatter)",
           "p = np.where(known, p_known, p_scatter)",
           ("tests/property/stats/test_trend_calibration.py",)),
    Mutant("rolling periods treated as independent", "etl/stats/trend_fast.py",
           "fit = fit_line(t, y, variance, mask, window=window, known_variance=~ols)",
           "fit = fit_line(t, y, variance, mask, known_variance=~ols)",
           ("tests/unit/marts/test_marts_trend_rag_guard.py", "tests/property/stats/test_trend_calibration.py")),
    Mutant("baseline compared with the area's interval only", "etl/sql/macros.sql",
           "+ pow((other_upper - other_lower) / (2 * z95()), 2))",
           "+ 0)",
           ("tests/sql/test_macros.py", "tests/property/stats/test_trend_calibration.py")),
    Mutant("a standardised rate from fewer than 10 events", "etl/sql/marts/computed_values.sql",
           "coalesce(measure_type = 'age_standardised_rate' AND numerator < 10, false) AS is_too_few_events",
           "coalesce(measure_type = 'age_standardised_rate' AND numerator < 0, false) AS is_too_few_events",
           ("tests/sql/test_dsr_sql.py",)),
    Mutant("a standardised rate with a band's count missing", "etl/sql/marts/computed_values.sql",
           "CASE WHEN count(s.numerator) = count(*) AND count(s.denominator) = count(*)\n"
           "                  AND NOT bool_or(s.denominator = 0 AND s.numerator > 0) THEN\n"
           "            sum(CASE WHEN s.denominator > 0 THEN s.numerator * w.weight / s.denominator",
           "CASE WHEN true THEN\n"
           "            sum(CASE WHEN s.denominator > 0 THEN s.numerator * w.weight / s.denominator",
           ("tests/sql/test_dsr_sql.py",)),
    Mutant("gaps unsigned (Q1 - Q5 whatever the polarity)", "etl/marts/inequality.py",
           'worse_if_higher = np.where(out.polarity == "high_is_good", -1.0, 1.0)',
           "worse_if_higher = np.ones(len(out))",
           ("tests/unit/marts/test_marts_inequality_lead.py",)),
    Mutant("Python's z back to 1.96", "etl/stats/levels.py",
           "Z95 = 1.959963984540054", "Z95 = 1.96",
           ("tests/sql/test_macros.py",)),
)


def _copy_tree(target: Path) -> None:
    """The tracked files of the worktree as they are now (uncommitted edits included)."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def _killed(mutant: Mutant, tree: Path) -> tuple[bool, str]:
    """Plant ``mutant`` in ``tree``, run its tests, restore the file; True when a test failed."""
    path = tree / mutant.path
    original = path.read_text(encoding="utf-8")
    if original.count(mutant.old) != 1:
        raise SystemExit(f"mutant {mutant.name!r}: its text occurs {original.count(mutant.old)} times in "
                         f"{mutant.path} (the code changed: update tests/mutate.py)")
    path.write_text(original.replace(mutant.old, mutant.new), encoding="utf-8")
    try:
        run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *mutant.tests],
                             cwd=tree, capture_output=True, text=True)
    finally:
        path.write_text(original, encoding="utf-8")
    last = (run.stdout.strip().splitlines() or [""])[-1]
    return run.returncode != 0, last


def main(names: list[str]) -> int:
    chosen = [m for m in MUTANTS if not names or m.name in names]
    survivors = 0
    with tempfile.TemporaryDirectory(prefix="cpop-mutate-") as tmp:
        tree = Path(tmp)
        _copy_tree(tree)
        for mutant in chosen:
            started = time.perf_counter()
            killed, last = _killed(mutant, tree)
            survivors += not killed
            print(f"{'killed  ' if killed else 'SURVIVED'} {mutant.name:<52} {time.perf_counter() - started:6.1f} s"
                  f"  ({last})", flush=True)
    print(f"{len(chosen) - survivors} of {len(chosen)} mutants killed")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
