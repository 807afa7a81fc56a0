"""Small helpers shared by the calmnest kernel protocol tests."""
import time
from queue import Empty

from jupyter_client.manager import start_new_kernel
from jupyter_client.session import new_id


def start(timeout=120):
    """Starts the installed calmnest kernel; returns (manager, client).

    The manager gets a session id of its own. jupyter_client's km.client() gives the client a
    clone of the manager's Session (same session id, same pid) with its own message counter, and
    msg_id is "<session>_<pid>_<counter>": the manager's n-th interrupt_request then carries the
    same msg_id as the client's n-th request, and the interrupt's status messages look like
    replies to that request (found while chasing the "interrupt storm" failure; RELIABILITY.md).
    """
    km, kc = start_new_kernel(kernel_name="calmnest", startup_timeout=timeout)
    km.session.session = new_id()
    return km, kc


def execute(kc, code, timeout=60, on_message=None, allow_stdin=False):
    """Runs code; returns (reply content, list of iopub messages of that request)."""
    msg_id = kc.execute(code, allow_stdin=allow_stdin)
    return collect(kc, msg_id, timeout, on_message)


def collect(kc, msg_id, timeout=60, on_message=None):
    outputs = []
    deadline = time.time() + timeout
    while True:
        remaining = deadline - time.time()
        if remaining <= 0:
            raise TimeoutError("no idle status for request %s within %ss" % (msg_id, timeout))
        try:
            msg = kc.get_iopub_msg(timeout=min(remaining, 1.0))
        except Empty:
            continue
        parent = msg["parent_header"]
        if parent.get("msg_id") != msg_id or parent.get("msg_type", "execute_request") != "execute_request":
            continue
        if on_message is not None:
            on_message(msg)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
        if msg["msg_type"] not in ("status", "execute_input"):
            outputs.append(msg)
    reply = kc.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=timeout)
    return reply["content"], outputs


def text_of(outputs, kind=None):
    """Concatenated stream text (optionally of one stream) and text/plain results."""
    parts = []
    for m in outputs:
        c = m["content"]
        if m["msg_type"] == "stream" and (kind is None or c["name"] == kind):
            parts.append(c["text"])
        elif m["msg_type"] in ("execute_result", "display_data") and kind is None:
            parts.append(c["data"].get("text/plain", ""))
    return "".join(parts)


def result_text(outputs):
    for m in outputs:
        if m["msg_type"] == "execute_result":
            return m["content"]["data"]["text/plain"]
    return None
