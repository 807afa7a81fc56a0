"""A scripted `jupyter console` session against the installed calmnest kernel."""
import os
import subprocess
import unittest


class ConsoleTest(unittest.TestCase):

    def test_scripted_session(self):
        script = "\n".join([
            "int answer = 6 * 7;",
            "answer",
            'System.out.println("printed " + answer);',
            'for (int i = 0; i < 2; i++) { System.out.println("loop " + i); }',
            "%time 1 + 1",
            "exit",
            "",
        ])
        jupyter = os.environ.get("CALMNEST_JUPYTER", "jupyter")
        p = subprocess.run([jupyter, "console", "--kernel=calmnest", "--simple-prompt", "--no-confirm-exit",
                            "--ZMQTerminalInteractiveShell.kernel_timeout=120"],
                           input=script, capture_output=True, text=True, timeout=240)
        out = p.stdout
        self.assertIn("42", out, out + p.stderr)
        self.assertIn("printed 42", out, out + p.stderr)
        self.assertIn("loop 1", out, out + p.stderr)
        self.assertIn("Wall time", out, out + p.stderr)


if __name__ == "__main__":
    unittest.main()
