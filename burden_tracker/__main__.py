"""`python -m burden_tracker`: the command line, as `burden-tracker` runs it."""

from .cli import main

main()
