"""Interrupt storms (run by KernelStormTest and test_chaos): fifty interrupt requests while a busy
cell runs, fifty more while the kernel is idle, then ordinary cells, which must run normally and
show their values. STORM_ROUNDS (default 3) storms in one kernel session."""
import os
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from kernel_client import start, execute, result_text  # noqa: E402


def storm(test, km, kc, busy=50, idle=50):
    def go():
        time.sleep(1.0)
        for _ in range(busy):
            km.interrupt_kernel()
            time.sleep(0.02)
    t = threading.Thread(target=go, daemon=True)
    t.start()
    reply, _ = execute(kc, "while (true) { }", timeout=120)
    test.assertEqual(reply["status"], "error")
    test.assertEqual(reply["ename"], "Interrupted")
    t.join()
    for _ in range(idle):
        km.interrupt_kernel()
    time.sleep(1.0)
    for i in range(3):
        reply, out = execute(kc, "6 * %d" % (7 + i), timeout=60)
        test.assertEqual(reply["status"], "ok", reply)
        test.assertEqual(result_text(out), str(6 * (7 + i)), "cell %d after the storm: %s" % (i, out))
    reply, out = execute(kc, 'System.out.println("after"); Thread.sleep(300); "done"', timeout=60)
    test.assertEqual(reply["status"], "ok", reply)
    test.assertEqual(result_text(out), "done")
    test.assertIn("after", "".join(m["content"].get("text", "") for m in out if m["msg_type"] == "stream"))


class StormTests(unittest.TestCase):

    def test_storms(self):
        rounds = int(os.environ.get("STORM_ROUNDS", "3"))
        km, kc = start()
        try:
            for r in range(rounds):
                t0 = time.time()
                storm(self, km, kc)
                print("[reliability] storm %d/%d survived (%.1f s)" % (r + 1, rounds, time.time() - t0), flush=True)
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)


if __name__ == "__main__":
    unittest.main()
