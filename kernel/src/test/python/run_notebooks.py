#!/usr/bin/python3
"""Executes calmnest notebooks through the installed calmnest kernel and checks them.

Fails (exit 1) on: an error output, a traceback on stderr, a cell tagged "chart" without an
image/png output, an exercise check that says "not yet" (solutions and demos), a check cell
that printed no "correct", or a missing file a notebook promises (quickstart's loss chart).
With --students it runs the student versions (tutorials/NN-*.ipynb, exercises unfilled) and
requires every check to say "not yet" with its hint and no cell to show an error (the blanks must
fail visibly but cleanly). A tutorial chapter without any exercise check fails in both modes.

The kernelspec goes into a temporary prefix (never the user's Jupyter folder):
  /usr/bin/python3 kernel/src/test/python/run_notebooks.py --jar kernel/target/calmnest-kernel.jar \
      --budget ci --timings notebooks/results/timings.md notebooks/*.ipynb tutorials/solutions/*.ipynb
"""
import argparse
import json
import os
import platform
import re
import signal
import subprocess
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

CHECK = re.compile(r'check\("([^"]+)"')
TRACE = re.compile(r"(Exception|Error)(:|\s+at\s)|^\s+at [\w.$]+\(", re.M)


def install_kernel(args, prefix):
    java = args.java or "java"
    if args.jar:
        cmd = [java, "-jar", args.jar, "install", "--prefix", prefix]
    else:
        cmd = [java, "-cp", args.classpath, "org.calmnest.kernel.Main", "install", "--prefix", prefix,
               "--classpath", args.classpath]
    if args.java:
        cmd += ["--java", args.java]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("kernel install failed (%s): %s %s" % (" ".join(cmd[:4]), out.stdout, out.stderr))
    return os.path.join(prefix, "share", "jupyter")


def texts(cell):
    """(stdout + text/plain + text/html, stderr) of a code cell's outputs."""
    out, err = [], []
    for o in cell.get("outputs", []):
        if o.output_type == "stream":
            (err if o.name == "stderr" else out).append(o.text)
        elif o.output_type in ("execute_result", "display_data"):
            out.append(str(o.get("data", {}).get("text/plain", "")))
    return "".join(out), "".join(err)


def problems(nb, student):
    found = []
    checks = 0
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        where = "cell %d" % i
        for o in cell.get("outputs", []):
            if o.output_type == "error":
                found.append("%s: error output %s: %s" % (where, o.ename, o.evalue[:300]))
        out, err = texts(cell)
        if TRACE.search(err):
            found.append("%s: stack trace on stderr: %s" % (where, err.strip()[:300]))
        if "chart" in cell.metadata.get("tags", []):
            if not any("image/png" in o.get("data", {}) for o in cell.get("outputs", [])):
                found.append("%s: chart expected but no image/png output" % where)
        for name in CHECK.findall(cell.source):
            if "void check(" in cell.source:
                continue
            checks += 1
            said_correct = ("Exercise %s: correct" % name) in out
            said_not_yet = ("Exercise %s: not yet" % name) in out
            hint = re.search(r"Exercise %s: not yet\. Hint: \S" % re.escape(name), out)
            if student and not said_not_yet:
                found.append("%s: student blank of exercise %s did not say 'not yet'" % (where, name))
            elif student and not hint:
                found.append("%s: exercise %s said 'not yet' without a hint" % (where, name))
            if not student and not said_correct:
                found.append("%s: exercise %s %s" % (where, name, "says 'not yet'" if said_not_yet else "printed no 'correct'"))
        if not student and "not yet" in out and not CHECK.search(cell.source):
            found.append("%s: 'not yet' printed outside a check cell" % where)
    return found, checks


def run(path, args, student):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=args.cell_timeout, kernel_name="calmnest", allow_errors=True,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    t0 = time.time()
    try:
        client.execute()
        crash = None
    except (CellExecutionError, Exception) as e:  # timeouts, dead kernel
        crash = "%s: %s" % (type(e).__name__, str(e)[:400])
    seconds = time.time() - t0
    found, checks = problems(nb, student)
    if re.match(r"\d\d-", os.path.basename(path)) and checks == 0 and not crash:
        found.append("a tutorial chapter without any exercise check")
    if crash:
        found.insert(0, crash)
    if os.path.basename(path) == "quickstart.ipynb" and not found:
        if not any("quickstart-loss.png" in texts(c)[0] for c in nb.cells if c.cell_type == "code"):
            found.append("quickstart did not report saving quickstart-loss.png")
    if args.save:
        os.makedirs(args.save, exist_ok=True)
        out = os.path.join(args.save, ("student-" if student else "") + os.path.basename(path))
        nbformat.write(nb, out)
    return seconds, checks, found


def write_timings(rows, args, total):
    cmd = "/usr/bin/python3 kernel/src/test/python/run_notebooks.py " + " ".join(args.raw)
    lines = [
        "# Notebook execution times",
        "",
        "Every notebook executed top to bottom through the installed calmnest kernel (nbclient),",
        "checked for error outputs, charts and exercise checks. Budget: `%s`%s." % (
            args.budget, " (CALMNEST_BUDGET=ci: tiny training budgets)" if args.budget == "ci"
            else " (the laptop defaults the notebooks use without the knob)"),
        "",
        "- date: %s" % time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "- machine: %s, %d CPU cores visible, load average at start %.1f (shared with other jobs), no GPU used" % (
            platform.machine(), os.cpu_count() or 0, args.load),
        "- command: `%s`" % cmd,
        "",
        "| notebook | seconds | exercise checks | result |",
        "|---|---:|---:|---|",
    ]
    for name, seconds, checks, found in rows:
        lines.append("| %s | %.0f | %d | %s |" % (name, seconds, checks, "ok" if not found else "FAILED: " + found[0][:80]))
    lines.append("| **total** | **%.0f** | | |" % total)
    lines.append("")
    with open(args.timings, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("notebooks", nargs="+")
    p.add_argument("--jar", help="kernel/target/calmnest-kernel.jar")
    p.add_argument("--classpath", help="class path with org.calmnest.kernel.Main (instead of --jar)")
    p.add_argument("--java", help="path of bin/java for the kernel")
    p.add_argument("--budget", default="ci", choices=["ci", "laptop"])
    p.add_argument("--students", action="store_true", help="run student versions: checks must say 'not yet'")
    p.add_argument("--cell-timeout", type=int, default=900)
    p.add_argument("--timings", help="write a Markdown table of seconds per notebook here")
    p.add_argument("--save", help="folder for the executed notebooks")
    args = p.parse_args()
    # SIGTERM must end the run like Ctrl-C does, so nbclient shuts the kernel down on the way out
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    args.raw = sys.argv[1:]
    args.load = os.getloadavg()[0]
    if not (args.jar or args.classpath):
        p.error("give --jar or --classpath")
    if args.budget == "ci":
        os.environ["CALMNEST_BUDGET"] = "ci"
    else:
        os.environ.pop("CALMNEST_BUDGET", None)
    rows = []
    with tempfile.TemporaryDirectory(prefix="calmnest-nb-") as prefix:
        os.environ["JUPYTER_PATH"] = install_kernel(args, prefix)
        os.environ["JUPYTER_DATA_DIR"] = os.path.join(prefix, "data")  # nothing lands in the user's folder
        t0 = time.time()
        for path in args.notebooks:
            seconds, checks, found = run(path, args, args.students)
            rows.append((os.path.relpath(path), seconds, checks, found))
            print("%-55s %6.0f s  %2d checks  %s" % (os.path.relpath(path), seconds, checks, "ok" if not found else "FAILED"), flush=True)
            for f in found:
                print("    " + f, flush=True)
        total = time.time() - t0
    if args.timings:
        write_timings(rows, args, total)
    failed = [r for r in rows if r[3]]
    print("%d notebooks, %d failed, %.0f s" % (len(rows), len(failed), total))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
