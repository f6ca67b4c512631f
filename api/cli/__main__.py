"""`python -m api.cli`: the same as `okr`."""

import sys

from api.cli import main

sys.exit(main())
