"""Signing the command line in: the demo portal, or a portal with a token from the keyring,
a password on stdin, or a prompt (in that order)."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from labdesk.api.client import PortalClient
from labdesk.api.errors import AuthExpired
from labdesk.api.tokens import TokenStore
from labdesk.config import Settings
from labdesk.errors import KnownError


class SignInError(KnownError):
    """No portal or no way to sign in."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("portal and sign-in (not needed with --dry-run)")
    group.add_argument(
        "--demo", action="store_true", help="start the demo portal here and use it as 'reviewer'"
    )
    group.add_argument("--server", metavar="URL", help="the lab portal (default: the settings')")
    group.add_argument("--user", metavar="NAME", help="your username (default: the last one)")
    group.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input (else the keyring's token, else a prompt)",
    )


@contextmanager
def signed_in(
    args: argparse.Namespace, *, prompt: Callable[[str], str] = getpass.getpass
) -> Iterator[PortalClient]:
    """A signed-in client for the portal the arguments name; the demo stops afterwards."""
    if args.demo:
        from labdesk.client import demo

        running = demo.start()
        try:
            with PortalClient(running.url, TokenStore()) as client:
                client.login(args.user or demo.DEMO_FIRST_USER, demo.DEMO_PASSWORD)
                yield client
        finally:
            running.stop()
        return
    url, user = args.server, args.user
    if not url or not user:
        settings = Settings.load()
        url, user = url or settings.server_url, user or settings.last_username
    if not user:
        raise SignInError("say who signs in: --user NAME (or --demo)")
    with PortalClient(url, TokenStore(), username=user) as client:
        if args.password_stdin or not _token_works(client):
            password = sys.stdin.readline().rstrip("\n") if args.password_stdin else ""
            if not password and not args.password_stdin:
                password = prompt(f"Password for {user} at {url}: ")
            if not password:
                raise SignInError("no password given")
            client.login(user, password)
        yield client


def _token_works(client: PortalClient) -> bool:
    if not client.signed_in:
        return False
    try:
        client.me()
    except AuthExpired:
        return False
    return True
