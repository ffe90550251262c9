"""Who holds an outbox lease: host and process, so a restarted process can tell its predecessor is gone."""
from __future__ import annotations

import os
import socket
import uuid


def process_owner() -> str:
    """'<host>:<pid>:<random>' for this process."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def owner_alive(owner: str) -> bool:
    """False only when the owner ran on this host and its process no longer exists; otherwise assume alive
    (another host's process cannot be checked, so its lease must run out)."""
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by another user
        return True
    return True
