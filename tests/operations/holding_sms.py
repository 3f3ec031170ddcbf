"""A test SMS backend for worker processes: appends to a file, and can hold the worker still.

`CAMPAIGN_SMS_BACKEND=tests.operations.holding_sms.HoldingFileBackend`; the directory in
`TEST_SMS_DIR` holds:
- `outbox.jsonl`, one line per message sent (kind and the last 4 digits only);
- `mode`: `before` holds inside the provider call, before the message is accepted (the worker
  dies with nothing sent); `after` sends, lets the sending transaction commit, then holds
  before the task is marked done (the worker dies with the message sent);
- `hold`: while this file exists, a held worker waits (it writes `holding` with its pid).
"""

import json
import os
import time
from pathlib import Path

from django.db import transaction

from campaigns.sms.backends import BaseSmsBackend


def _hold(folder: Path) -> None:
    (folder / "holding").write_text(str(os.getpid()))
    while (folder / "hold").exists():
        time.sleep(0.05)


class HoldingFileBackend(BaseSmsBackend):
    def send(self, message) -> None:
        folder = Path(os.environ["TEST_SMS_DIR"])
        mode = (folder / "mode").read_text().strip() if (folder / "mode").exists() else ""
        if mode == "before":
            _hold(folder)
        with (folder / "outbox.jsonl").open("a") as out:
            out.write(json.dumps({"kind": message.kind, "tail": message.phone[-4:]}) + "\n")
        if mode == "after":
            transaction.on_commit(lambda: _hold(folder))
