package org.calmnest.kernel.eval;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The class loader of notebook code: it defines the snippet classes JShell compiles, finds
 * classes added by {@code %classpath} / {@code %maven}, and delegates everything else to the
 * kernel's own loader, so notebook code sees the calmnest DSL, DJL, XChart and Tablesaw as the
 * very same classes the kernel renders.
 */
final class SnippetClassLoader extends URLClassLoader {

    static {
        registerAsParallelCapable();
    }

    private final Map<String, byte[]> declared = new ConcurrentHashMap<>();

    SnippetClassLoader(ClassLoader parent) {
        super("calmnest-notebook", new URL[0], parent);
    }

    void declare(String className, byte[] classFile) {
        declared.put(className, classFile);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = declared.remove(name); // once defined, the JVM keeps the class: the bytes are garbage
        if (bytes == null) {
            return super.findClass(name);
        }
        return defineClass(name, bytes, 0, bytes.length);
    }

    /** Adds one or more {@link File#pathSeparator}-separated entries. */
    void addClassPath(String classPath) throws MalformedURLException {
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                addURL(new File(entry).toURI().toURL());
            }
        }
    }
}
