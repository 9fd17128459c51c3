"""`python -m planlib …` runs the command line, as the `planlib` script does."""
import sys

from .cli import main

sys.exit(main())
