"""Mutation score per module from mutmut's results (run by `make mutation`)."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter, defaultdict

MODULES = ("catalogs", "gate", "text", "source", "plan", "spoken")
KILLED = ("killed", "timeout")  # a mutant that hangs the tests is caught, as mutmut counts it


def main() -> int:
    """Print killed / total per module; exit 1 when a module is under 85 %."""
    out = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all", "true"],
                         capture_output=True, text=True, check=True).stdout
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for line in out.splitlines():
        name, _, status = line.strip().rpartition(": ")
        module = name.split(".x")[0].removeprefix("handoutkit.")
        if module in MODULES:
            counts[module][status] += 1
    low = False
    for module in MODULES:
        tally = counts[module]
        total = sum(tally.values())
        killed = sum(tally[s] for s in KILLED)
        score = 100.0 * killed / total if total else 0.0
        low |= score < 85.0
        print(f"handoutkit/{module}.py: {killed} of {total} mutants killed ({score:.1f} %), {tally['survived']} survived")
    return 1 if low else 0


if __name__ == "__main__":
    sys.exit(main())
