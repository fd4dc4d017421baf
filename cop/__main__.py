"""``python -m cop``: the same commands as ``cop`` (how ``cop start`` starts its worker)."""

from cop.cli import main

main()
