"""jupyter_kernel_test conformance suite for the calmnest kernel.

Run by PythonKernelTest (mvn test) with JUPYTER_PATH pointing at a temporary kernelspec.
"""
import unittest

import jupyter_kernel_test as jkt


class CalmnestKernelTests(jkt.KernelTests):
    kernel_name = "calmnest"
    language_name = "java"
    file_extension = ".jshell"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("oops");'
    code_generate_error = 'throw new IllegalStateException("boom");'

    completion_samples = [
        {"text": "Math.signu", "matches": {"signum("}},
        {"text": "%hel", "matches": {"%help"}},
        {"text": "europarlLang", "matches": {"europarlLanguages()"}},
    ]
    complete_code_samples = ["1 + 1", "int x = 1;", "%help", "%%time\nint y = 2;"]
    incomplete_code_samples = ["for (int i = 0; i < 3; i++) {", "int x = "]
    invalid_code_samples = ["}", "x.)"]

    code_inspect_sample = "Math.max"

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "int a = 40;\na + 2", "result": "42"},
        {"code": "java.util.List.of(1, 2)", "result": "[1, 2]"},
    ]
    code_history_pattern = "6 *"
    supported_history_operations = ("tail", "range", "search")

    code_display_data = [
        {"code": 'display("shown")', "mime": "text/plain"},
        {"code": "var chart = new org.knowm.xchart.XYChart(300, 200);\n"
                 "chart.addSeries(\"loss\", new double[]{1, 2, 3}, new double[]{3, 2, 1});\n"
                 "display(chart);", "mime": "image/png"},
    ]


if __name__ == "__main__":
    unittest.main()
