#!/usr/bin/python3
"""Writes notebooks/*.ipynb, tutorials/NN-*.ipynb (student) and tutorials/solutions/NN-*.ipynb.

Run from anywhere: /usr/bin/python3 tutorials/tools/build.py
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from chapters_a import CHAPTERS_A  # noqa: E402
from chapters_b import CHAPTERS_B  # noqa: E402
from demos import DEMOS  # noqa: E402
from nbgen import write  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


README_HEAD = """# The calmnest course: CALM and Nested Learning on a laptop CPU

Ten chapters for students who know basic Java and a little machine learning. Each chapter is a
notebook for the calmnest Jupyter kernel with learning goals, an explanation with the equations,
runnable cells, **exercises with automatic checks** (fill in a value or a small method, run the
check cell: it prints `correct` or `not yet` with a hint) and a summary.

- `NN-*.ipynb` — the chapters with the exercises left blank (the checks say `not yet`).
- `solutions/NN-*.ipynb` — the same chapters with the solutions filled in.
- `tools/` — the generator: the chapters are written in `tools/chapters_a.py` and
  `tools/chapters_b.py`; `/usr/bin/python3 tutorials/tools/build.py` rewrites the student and
  solution notebooks (and the demos in `notebooks/`) from them. Edit the sources, not the
  `.ipynb` files.

## Getting started

```bash
mvn -B -q package -DskipTests                      # builds kernel/target/calmnest-kernel.jar
java -jar kernel/target/calmnest-kernel.jar install --user
jupyter lab tutorials/                             # choose the kernel "calmnest (Java)"
```

Every training cell uses `budget(laptop, ci)`: the first number runs by default and fits in a
few minutes on a laptop CPU; with `CALMNEST_BUDGET=ci` in the kernel's environment the second,
tiny one runs (that is what the automatic test does). Every number a chapter prints is computed
in that run — with tiny budgets expect noisy, sometimes null, results; the chapters say so.

## Chapters

| # | chapter | study time | needs |
|---|---|---:|---|
"""

README_TAIL = """
*Study time* is our estimate for reading, running and doing the exercises with the default
(laptop) budgets. The measured execution time of every notebook is in
[`../notebooks/results/timings.md`](../notebooks/results/timings.md).

## How the course is checked

`NotebooksTest` in the kernel module (tagged slow, so part of `mvn -B verify -Pslow`; alone:
`mvn -B -Pslow -pl kernel -am test -Dtest=NotebooksTest -Dsurefire.failIfNoSpecifiedTests=false`)
installs the kernel into a temporary Jupyter prefix and executes, with `CALMNEST_BUDGET=ci`:

- every chapter in `solutions/` and every demo notebook: it fails on any error output, a chart
  cell without an image, or a check that does not say `correct`;
- every student chapter (the exercises left blank): every check must say `not yet` with its hint
  and no cell may fail (`-Dnotebooks.students=false` skips this half).
"""

NEEDS = {1: "-", 2: "1", 3: "2", 4: "3", 5: "1, 2", 6: "4", 7: "3-5", 8: "1", 9: "8", 10: "9"}


def write_readme(tut, chapters):
    rows = []
    for i, (name, title, minutes, _cells) in enumerate(chapters, 1):
        rows.append("| %d | [%s](%s.ipynb) ([solution](solutions/%s.ipynb)) | %d min | %s |" % (
            i, title, name, name, minutes, NEEDS.get(i, "-")))
    with open(os.path.join(tut, "README.md"), "w", encoding="utf-8") as f:
        f.write(README_HEAD + "\n".join(rows) + "\n" + README_TAIL)


def main():
    tut = os.path.join(ROOT, "tutorials")
    os.makedirs(os.path.join(tut, "solutions"), exist_ok=True)
    for name, _title, _minutes, cells in CHAPTERS_A + CHAPTERS_B:
        write(cells, os.path.join(tut, name + ".ipynb"), solution=False)
        write(cells, os.path.join(tut, "solutions", name + ".ipynb"), solution=True)
    write_readme(tut, CHAPTERS_A + CHAPTERS_B)
    for name, cells in DEMOS:
        write(cells, os.path.join(ROOT, "notebooks", name + ".ipynb"), solution=True)
    print("wrote %d chapters (student + solution) and %d demo notebooks" % (len(CHAPTERS_A + CHAPTERS_B), len(DEMOS)))


if __name__ == "__main__":
    main()
