"""``python -m dangjian_analysis.datasets`` (``make datasets``): refresh the bundled tables."""
import sys

from . import main

sys.exit(main())
