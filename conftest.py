"""Shared by the unit tests and nbval: notebooks executed by tests write figures under build/."""
import os
from pathlib import Path

os.environ.setdefault("RESETLAB_FIGURES_DIR", str(Path(__file__).parent / "build" / "test-figures"))
