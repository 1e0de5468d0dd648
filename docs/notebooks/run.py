"""Execute every notebook in this folder with nbclient; fail on the first cell that raises.

Run by ``python3 tasks.py docs`` (and so by CI). The notebooks talk only to the test kit's
mocks and in-memory servers, so they need no network. Outputs are not written back: the
committed notebooks stay as they are, without outputs that would churn on every run.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

HERE = Path(__file__).resolve().parent


def main() -> int:
    notebooks = sorted(HERE.glob("*.ipynb"))
    if not notebooks:
        print(f"error: no notebook in {HERE}", file=sys.stderr)
        return 1
    for path in notebooks:
        started = time.monotonic()
        notebook = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
        with tempfile.TemporaryDirectory() as sockets:
            # IPC sockets in a scratch folder rather than TCP ports: the kernel listens on
            # no port, and leaves nothing behind
            kernel = KernelManager(
                kernel_name="python3", transport="ipc", ip=str(Path(sockets, "kernel"))
            )
            client = NotebookClient(
                notebook, km=kernel, timeout=120, resources={"metadata": {"path": HERE}}
            )
            try:
                client.execute()
            except CellExecutionError as exc:
                print(f"notebook {path.name} failed:\n{exc}", file=sys.stderr)
                return 1
            finally:
                if kernel.has_kernel:  # a kernel manager we made is ours to stop
                    kernel.shutdown_kernel()
        cells = sum(1 for cell in notebook.cells if cell.cell_type == "code")
        took = time.monotonic() - started
        print(f"notebook {path.name}: {cells} code cells ran ({took:.1f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
