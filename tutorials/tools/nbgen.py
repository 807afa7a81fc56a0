"""Tiny notebook generator for the calmnest course and demos.

A notebook is a list of cells made with md(), code() and exercise(). One source gives two
notebooks: the student version (exercise cells hold a blank to fill in) and the solution
version (the same cells with the answer). Cells whose last value is a chart carry the tag
"chart": the execution test fails when such a cell shows no image/png.
"""
import textwrap

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

KERNELSPEC = {"name": "calmnest", "display_name": "calmnest (Java)", "language": "java"}
LANGUAGE_INFO = {"name": "java", "file_extension": ".jshell", "mimetype": "text/x-java-source"}

# The first code cell of every tutorial chapter.
SETUP = """\
// Chapter setup: imports, the budget knob and the exercise checker.
// CALMNEST_BUDGET=ci (set by the test) shrinks every training budget; the default is "laptop".
import static org.calmnest.dsl.Calmnest.*;
import org.calmnest.dsl.*;
import org.calmnest.lib.data.*;
boolean CI = "ci".equalsIgnoreCase(System.getenv().getOrDefault("CALMNEST_BUDGET", "laptop"));
long budget(long laptop, long ci) { return CI ? ci : laptop; }
void check(String exercise, boolean ok, String hint) {
    System.out.println("Exercise " + exercise + (ok ? ": correct" : ": not yet. Hint: " + hint));
}
seed(42);
System.out.println("budget: " + (CI ? "ci (CALMNEST_BUDGET=ci)" : "laptop"));"""


def md(text):
    return ("md", textwrap.dedent(text).strip("\n"))


def code(src, chart=False):
    return ("code", textwrap.dedent(src).strip("\n"), textwrap.dedent(src).strip("\n"), chart)


def exercise(student, solution):
    """An exercise cell: the student sees `student`, the solutions folder `solution`."""
    return ("code", textwrap.dedent(student).strip("\n"), textwrap.dedent(solution).strip("\n"), False)


def build(cells, solution):
    nb = new_notebook()
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = dict(LANGUAGE_INFO)
    for c in cells:
        if c[0] == "md":
            nb.cells.append(new_markdown_cell(c[1]))
        else:
            cell = new_code_cell(c[2] if solution else c[1])
            if c[3]:
                cell.metadata["tags"] = ["chart"]
            nb.cells.append(cell)
    for i, cell in enumerate(nb.cells):
        cell["id"] = "c%02d" % i  # stable ids keep diffs small
    nbformat.validate(nb)
    return nb


def write(cells, path, solution):
    with open(path, "w", encoding="utf-8") as f:
        nbformat.write(build(cells, solution), f)
        f.write("")
