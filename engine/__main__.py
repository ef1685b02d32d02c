"""`python -m precomment`: the same as the `precomment` command."""
from .cli import run

run()
