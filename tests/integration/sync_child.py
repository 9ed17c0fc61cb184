"""A LabDesk workstation in its own process, for the tests that kill it with SIGKILL.

    python -m tests.integration.sync_child URL HOME USERNAME MODE

MODE ``queue``: sign in, sync, queue an accept on the first received case, say
``QUEUED <outbox id> <case id>``, then wait to be killed (the action is never sent).
MODE ``queue_push``: the same, then push (the test's proxy holds the answer; it gets killed).
MODE ``sync``: sign in, sync once, print the state as JSON.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from labdesk.api.schemas import ActionRequest
from labdesk.domain.lifecycle import Action
from tests.integration.sync_helpers import open_account


def main(url: str, home: str, username: str, mode: str) -> int:
    account = open_account(Path(home), url, username, timeout=30.0)
    engine = account.engine
    if mode == "sync":
        state = engine.sync(force=True)
        print(json.dumps({"pending": state.pending, "conflicts": state.conflicts,
                          "online": state.online, "error": state.error}), flush=True)  # fmt: skip
        account.close()
        return 0
    engine.pull()
    case_id = min(r.case_id for r in account.repo.load_inbox_rows() if r.status == "received")
    outbox_id = engine.queue_action(case_id, ActionRequest(action=Action.ACCEPT))
    print(f"QUEUED {outbox_id} {case_id}", flush=True)
    if mode == "queue_push":
        engine.push()
    while True:  # wait for SIGKILL
        time.sleep(1)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
