"""``labdesk-cli``: the client core for scripts and watch-folder servers (no Qt).

Each subcommand is a module with ``register(subparsers)`` and ``run(args) -> exit code``,
listed in :data:`labdesk.cli.main.COMMANDS`; ``import`` is the first, others (``tickets``)
go beside it.
"""
