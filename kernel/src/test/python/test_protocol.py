"""Protocol tests of the calmnest kernel with jupyter_client: interrupt (busy loop and DSL
training), live display updates, stdin, bad input that must leave the kernel answering,
magics, and shutdown that ends the process."""
import os
import threading
import time
import unittest

from kernel_client import start, execute, collect, text_of, result_text


class ProtocolTests(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start()

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=False)

    def alive(self):
        reply, out = execute(self.kc, "21 * 2")
        self.assertEqual(reply["status"], "ok")
        self.assertEqual(result_text(out), "42")

    def interrupt_after(self, seconds):
        def go():
            time.sleep(seconds)
            self.km.interrupt_kernel()
        threading.Thread(target=go, daemon=True).start()

    def test_interrupt_busy_loop(self):
        self.interrupt_after(2.0)
        t0 = time.time()
        reply, out = execute(self.kc, "long n = 0;\nwhile (true) { n++; }", timeout=60)
        self.assertEqual(reply["status"], "error")
        self.assertEqual(reply["ename"], "Interrupted")
        self.assertLess(time.time() - t0, 30)
        reply, out = execute(self.kc, "n > 0")
        self.assertEqual(result_text(out), "true")
        self.alive()

    def test_interrupt_sleep(self):
        self.interrupt_after(1.5)
        reply, _ = execute(self.kc, "Thread.sleep(600_000);", timeout=60)
        self.assertEqual(reply["status"], "error")
        self.alive()

    def test_interrupt_training_keeps_partial_model(self):
        updates = []
        started = threading.Event()

        def on_message(m):
            if m["msg_type"] in ("display_data", "update_display_data"):
                updates.append(m)
                started.set()

        sent = []

        def interrupter():
            started.wait(120)
            time.sleep(3.0)
            sent.append(time.time())
            self.km.interrupt_kernel()
        threading.Thread(target=interrupter, daemon=True).start()
        code = ('var model = transformer().train(texts("the cat sat on the mat. ".repeat(60), "a dog ran in the park. ".repeat(60), "birds sing at dawn. ".repeat(60), "fish swim in the sea. ".repeat(60), "the sun is warm today. ".repeat(60), "rain falls on the roof. ".repeat(60)), steps(1_000_000));')
        t0 = time.time()
        reply, out = execute(self.kc, code, timeout=240, on_message=on_message)
        self.assertTrue(updates, "training published no display")
        self.assertTrue(sent, "the interrupt was never sent")
        stop_seconds = time.time() - sent[0]
        self.assertLess(stop_seconds, 15, "training must stop within about one step")
        # training stops at the next step: the cell ends normally, the model is assigned
        self.assertEqual(reply["status"], "ok", reply)
        ids = {m["content"]["transient"]["display_id"] for m in updates}
        self.assertEqual(len(ids), 1, "one live display, updated in place")
        self.assertTrue(any(m["msg_type"] == "update_display_data" for m in updates))
        reply, out = execute(self.kc, "model.history().steps().size() > 0", timeout=60)
        self.assertEqual(reply["status"], "ok", reply)
        self.assertEqual(result_text(out), "true")
        reply, out = execute(self.kc, 'model.generate("the cat").length() >= 0', timeout=120)
        self.assertEqual(reply["status"], "ok", reply)

    def test_update_display(self):
        reply, out = execute(self.kc, 'String id = display("v1");\nfor (int i = 2; i <= 3; i++) updateDisplay(id, "v" + i);')
        self.assertEqual(reply["status"], "ok")
        kinds = [m["msg_type"] for m in out]
        self.assertEqual(kinds.count("display_data"), 1)
        self.assertEqual(kinds.count("update_display_data"), 2)
        last = [m for m in out if m["msg_type"] == "update_display_data"][-1]
        self.assertEqual(last["content"]["data"]["text/plain"], "v3")

    def test_stdout_is_batched(self):
        reply, out = execute(self.kc, "for (int i = 0; i < 2000; i++) System.out.println(i);")
        streams = [m for m in out if m["msg_type"] == "stream"]
        self.assertIn("1999\n", text_of(out, "stdout"))
        self.assertLess(len(streams), 50, "2000 println calls must not become 2000 messages")

    def test_stdin(self):
        msg_id = self.kc.execute('String name = new java.util.Scanner(System.in).nextLine();\n"hi " + name',
                                 allow_stdin=True)
        req = self.kc.get_stdin_msg(timeout=30)
        self.assertEqual(req["msg_type"], "input_request")
        self.kc.input("calm")
        reply, out = collect(self.kc, msg_id)
        self.assertEqual(reply["status"], "ok")
        self.assertEqual(result_text(out), "hi calm")

    def test_bad_inputs_keep_kernel_alive(self):
        cases = [
            ("int x = ;", "CompilationException"),
            ("Object o = null;\no.toString()", "java.lang.NullPointerException"),
            ("long[][] big = new long[64][];\nfor (int i = 0; i < 64; i++) big[i] = new long[100_000_000];",
             "java.lang.OutOfMemoryError"),
            ("%nosuchmagic", "UnknownMagic"),
            ("%load /no/such/file.jsh", "MagicError"),
            ("%maven org.calmnest.nothing:does-not-exist:0.0.1", "MagicError"),
            ("%maven not-a-coordinate", "MagicError"),
        ]
        for code, ename in cases:
            with self.subTest(code=code):
                reply, out = execute(self.kc, code, timeout=240)
                self.assertEqual(reply["status"], "error")
                self.assertEqual(reply["ename"], ename, reply)
                errors = [m for m in out if m["msg_type"] == "error"]
                self.assertEqual(len(errors), 1)
                self.alive()

    def test_compile_error_position(self):
        reply, out = execute(self.kc, "int ok = 1;\nString s = ok;")
        self.assertEqual(reply["status"], "error")
        tb = "\n".join(reply["traceback"])
        self.assertIn("line 2, column 12", tb)

    def test_runtime_error_user_frames(self):
        reply, out = execute(self.kc, "int f(int x) {\n  return 1 / x;\n}\nf(0)")
        self.assertEqual(reply["ename"], "java.lang.ArithmeticException")
        self.assertIn("f (cell [", "\n".join(reply["traceback"]))

    def test_magics(self):
        reply, out = execute(self.kc, "%time 1 + 1")
        self.assertEqual(result_text(out), "2")
        self.assertIn("Wall time", text_of(out, "stdout"))
        reply, out = execute(self.kc, "%%time\nint z = 5;\nz * 2")
        self.assertEqual(result_text(out), "10")
        reply, out = execute(self.kc, "%classpath")
        self.assertIn("jjava-jupyter", result_text(out))
        reply, out = execute(self.kc, "%device")
        self.assertIn("PyTorch", result_text(out))
        path = os.path.join(os.environ.get("CALMNEST_TEST_TMP", "/tmp"), "calmnest-load-test.jsh")
        with open(path, "w") as f:
            f.write("int loaded = 7;\nloaded * 6\n")
        reply, out = execute(self.kc, "%load " + path)
        self.assertEqual(result_text(out), "42")

    def test_maven_from_local_repository(self):
        # commons-math3 is in the local repository (a dependency of Tablesaw); it is already
        # on the kernel class path, so pick an artifact that is not: jjava's own test deps vary,
        # so use asm-util if present, else skip
        repo = os.path.expanduser("~/.m2/repository/org/ow2/asm/asm-tree")
        versions = sorted(os.listdir(repo)) if os.path.isdir(repo) else []
        versions = [v for v in versions if os.path.exists(os.path.join(repo, v, "asm-tree-%s.jar" % v))]
        if not versions:
            raise unittest.SkipTest("no org.ow2.asm:asm-tree in the local repository")
        v = versions[-1]
        reply, out = execute(self.kc, "%maven org.ow2.asm:asm-tree:" + v, timeout=240)
        self.assertEqual(reply["status"], "ok", reply)
        reply, out = execute(self.kc, "new org.objectweb.asm.tree.ClassNode().getClass().getSimpleName()")
        self.assertEqual(result_text(out), "ClassNode")


class ShutdownTest(unittest.TestCase):

    def test_restart_during_training_replaces_the_process(self):
        km, kc = start()
        try:
            old_pid = km.provisioner.process.pid
            shown = threading.Event()
            msg_id = kc.execute('var m = transformer().train(texts("a b c d. ".repeat(50), "e f g h. ".repeat(50), '
                                '"i j k l. ".repeat(50), "m n o p. ".repeat(50)), steps(1_000_000));')
            deadline = time.time() + 120
            while time.time() < deadline and not shown.is_set():
                try:
                    m = kc.get_iopub_msg(timeout=1)
                except Exception:
                    continue
                if m["msg_type"] in ("display_data", "update_display_data"):
                    shown.set()
            self.assertTrue(shown.is_set(), "training never showed its progress display")
            km.restart_kernel(now=False)
            self.assertFalse(os.path.exists("/proc/%d" % old_pid), "the old kernel process must be gone")
            kc.wait_for_ready(timeout=120)
            reply, out = execute(kc, "1 + 1")
            self.assertEqual(result_text(out), "2")
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)

    def test_shutdown_exits_process(self):
        km, kc = start()
        reply, out = execute(kc, "1")
        pid = km.provisioner.pid if hasattr(km, "provisioner") and km.provisioner else None
        kc.shutdown()
        deadline = time.time() + 30
        while km.is_alive() and time.time() < deadline:
            time.sleep(0.2)
        self.assertFalse(km.is_alive(), "the kernel process must exit after shutdown_request")
        kc.stop_channels()
        km.cleanup_resources()


if __name__ == "__main__":
    unittest.main()
