"""`python -m precomment`: the same as the `precomment` command."""
import sys

from .cli import main

sys.exit(main())
