"""Benchmark of the calmnest kernel against IPython's kernel, in the same run:
(1) kernel start to the first kernel_info_reply, (2) round trip of a trivial cell.

usage: JUPYTER_PATH=<prefix>/share/jupyter /usr/bin/python3 bench_kernel.py [starts] [cells]
"""
import statistics
import sys
import time

from jupyter_client.manager import KernelManager


def start_time(name):
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=300)  # kernel_info until the first reply, as frontends do
    elapsed = time.perf_counter() - t0
    return elapsed, km, kc


def round_trips(kc, code, n):
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        reply = kc.execute_interactive(code, timeout=60, output_hook=lambda m: None)
        times.append(time.perf_counter() - t0)
        assert reply["content"]["status"] == "ok", reply
    return times


def main():
    starts = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    cells = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    results = {}
    for name, code in (("calmnest", "1 + 1"), ("python3", "1 + 1")):
        st = []
        rt = []
        for i in range(starts):
            t, km, kc = start_time(name)
            st.append(t)
            print("  %s start %d: %.2f s" % (name, i + 1, t), flush=True)
            if i == 0:
                round_trips(kc, code, 5)  # warm-up (JIT, first class loads)
                rt = round_trips(kc, code, cells)
            kc.stop_channels()
            km.shutdown_kernel(now=False)
        results[name] = (statistics.median(st), statistics.median(rt), min(rt), max(rt))
        print("%-9s start->kernel_info_reply median %.2f s (%s)   trivial cell round trip median %.1f ms (min %.1f, max %.1f, n=%d)"
              % (name, results[name][0], ", ".join("%.2f" % s for s in st), 1000 * results[name][1],
                 1000 * results[name][2], 1000 * results[name][3], cells), flush=True)
    c, p = results["calmnest"], results["python3"]
    print("ratio calmnest/python3: start %.1fx, round trip %.1fx" % (c[0] / p[0], c[1] / p[1]))


if __name__ == "__main__":
    main()
