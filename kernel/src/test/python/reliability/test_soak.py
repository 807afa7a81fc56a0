"""Kernel-session soak (run by KernelSoakTest): one kernel, many rounds of the cells a notebook
user re-runs all afternoon -- train a small Transformer into the same variable, generate, plot the
loss -- with the kernel process's resident memory (VmRSS) sampled after every cell, and the Java heap in
use and the number of live NDArrays after every round. The curve must flatten: the RSS growth over the second
half of the rounds stays under a stated bound, and the live NDArrays do not grow at all.

Environment: SOAK_ROUNDS (default 12), SOAK_BOUND_MB (bound on the second-half growth, default 48),
SOAK_CSV (if set, the per-round curve is written there, the per-cell RSS next to it as *-cells.csv)."""
import os
import statistics
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from kernel_client import start, execute, result_text, text_of  # noqa: E402

CORPUS = """
String[] subj = {"The Commission", "The Council", "Parliament", "The committee", "The rapporteur"};
String[] verb = {"supports", "rejects", "welcomes", "amends", "adopts"};
String[] obj = {"the proposal", "the report", "the directive", "the budget", "the resolution"};
var docs = new ArrayList<String>();
for (int d = 0; d < 40; d++) {
    var b = new StringBuilder();
    for (int s = 0; s < 6; s++) {
        int i = d * 7 + s * 3;
        b.append(subj[i % 5]).append(' ').append(verb[(i / 5) % 5]).append(' ').append(obj[(i / 25 + s) % 5]).append(". ");
    }
    docs.add(b.toString().trim());
}
var corpus = texts("soak", docs);
"""

# after each round: a full GC, then the NDArrays alive in all DJL managers and the Java heap in use
PROBE = """System.gc();
try (var probe = org.calmnest.lib.runtime.TorchRuntime.engine().newBaseManager()) {
    System.out.println("arrays " + probe.getParentManager().getManagedArrays().size());
}
System.out.println("heap_kib " + (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1024);
"""


def kernel_pid(km):
    prov = getattr(km, "provisioner", None)
    proc = getattr(prov, "process", None) if prov is not None else None
    if proc is not None:
        return proc.pid
    return km.kernel.pid


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS for pid %d" % pid)


class SoakTests(unittest.TestCase):

    def test_rss_flattens_over_training_cells(self):
        rounds = int(os.environ.get("SOAK_ROUNDS", "12"))
        bound_mb = float(os.environ.get("SOAK_BOUND_MB", "48"))
        km, kc = start()
        try:
            pid = kernel_pid(km)
            reply, _ = execute(kc, CORPUS, timeout=120)
            self.assertEqual(reply["status"], "ok", reply)
            curve, arrays, heap, cells = [], [], [], []
            t0 = time.time()
            for r in range(rounds):
                # the notebook pattern: the same cell re-run, re-declaring the variable
                reply, out = execute(kc, "var lm = transformer().width(32).heads(2).layers(1).context(32).batch(4)"
                                         ".seed(%d).train(corpus, steps(3));" % r, timeout=300)
                self.assertEqual(reply["status"], "ok", reply)
                cells.append((r + 1, "train", rss_kib(pid)))
                reply, out = execute(kc, 'lm.generate("The Council", temperature(0.5).tokens(16))', timeout=120)
                self.assertEqual(reply["status"], "ok", reply)
                self.assertIsNotNone(result_text(out))
                cells.append((r + 1, "generate", rss_kib(pid)))
                reply, out = execute(kc, "lm.history().plot()", timeout=120)
                self.assertEqual(reply["status"], "ok", reply)
                self.assertTrue(any("image/png" in m["content"].get("data", {}) for m in out
                                    if m["msg_type"] in ("execute_result", "display_data")), "the chart arrives")
                cells.append((r + 1, "plot", rss_kib(pid)))
                reply, out = execute(kc, PROBE, timeout=60)
                self.assertEqual(reply["status"], "ok", reply)
                probe = dict(line.split() for line in text_of(out, "stdout").splitlines() if line.strip())
                arrays.append(int(probe["arrays"]))
                heap.append(int(probe["heap_kib"]))
                time.sleep(0.2)
                curve.append(rss_kib(pid))
                cells.append((r + 1, "probe (after GC)", curve[-1]))
            # growth over the second half, from the median of the rounds before the middle to the
            # median of the last rounds (windows of a sixth of the run): RSS moves in steps (JIT
            # compiler arenas, malloc high-water marks) that a single end point would mistake for a trend
            half = rounds // 2
            w = max(1, rounds // 6)
            growth_kib = statistics.median(curve[-w:]) - statistics.median(curve[half - w:half])
            path = os.environ.get("SOAK_CSV")
            if path:
                with open(path, "w") as f:
                    f.write("round,rss_kib,heap_used_kib,live_ndarrays\n")
                    for i, v in enumerate(curve):
                        f.write("%d,%d,%d,%d\n" % (i + 1, v, heap[i], arrays[i]))
                with open(path.replace(".csv", "-cells.csv"), "w") as f:
                    f.write("round,cell,rss_kib\n")
                    for rnd, cell, v in cells:
                        f.write("%d,%s,%d\n" % (rnd, cell, v))
            print("\n[reliability] kernel soak: %d rounds (%d cells) in %.0f s; RSS KiB %s; growth rounds %d..%d = %d KiB;"
                  " heap used KiB %s; live NDArrays %s"
                  % (rounds, 4 * rounds, time.time() - t0, curve, half, rounds, growth_kib, heap, arrays))
            self.assertEqual(arrays[-1], arrays[half - 1], "live NDArrays must not grow: %s" % arrays)
            self.assertLess(growth_kib, bound_mb * 1024,
                            "RSS growth over the second half (KiB, medians of windows); curve %s" % curve)
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)


if __name__ == "__main__":
    unittest.main()
