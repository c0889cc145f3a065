#!/usr/bin/env python3
"""Same CLI as the console script `make-handouts`: python make_handouts.py --help"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from handoutkit.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(project_root=Path(__file__).resolve().parent))
