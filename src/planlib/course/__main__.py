"""``python -m planlib.course [SRC_DIR [OUT_DIR]]``: regenerate the course's exercise notebooks."""
from __future__ import annotations

from planlib.teach.course import main

raise SystemExit(main())
