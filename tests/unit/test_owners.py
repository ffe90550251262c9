"""Lease owners: a dead process on this host is recognised; another host's process is assumed alive."""
from __future__ import annotations

import os
import socket
import subprocess
import sys

from council.owners import owner_alive, process_owner


def test_this_process_is_alive():
    assert owner_alive(process_owner())


def test_a_finished_process_on_this_host_is_dead():
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    assert not owner_alive(f"{socket.gethostname()}:{child.stdout.strip()}:abc123")


def test_a_process_on_another_host_or_an_odd_owner_is_assumed_alive():
    assert owner_alive(f"some-other-host:{os.getpid() + 100000}:abc")
    assert owner_alive("worker-42")
