package org.calmnest.kernel.edit;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;

import javax.tools.JavaCompiler;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Javadoc of calmnest's own classes for inspection. JShell only finds javadoc in the JDK's
 * {@code src.zip}; the build copies the dsl and lib sources into the kernel jar under
 * {@code calmnest-src/}, and this class reads the comment of the named class or method from them
 * with the compiler's tree API.
 */
public final class SourceDocs {

    static final String ROOT = "calmnest-src/";
    private static final String[] PACKAGES = {
            "org.calmnest.dsl", "org.calmnest.dsl.spec", "org.calmnest.dsl.result", "org.calmnest.dsl.run",
            "org.calmnest.dsl.chart", "org.calmnest.dsl.display", "org.calmnest.dsl.progress",
            "org.calmnest.dsl.script", "org.calmnest.lib.train", "org.calmnest.lib.runtime", "org.calmnest.lib.data"};

    private final ClassLoader loader;
    private final Map<String, String> cache = new ConcurrentHashMap<>();

    public SourceDocs(ClassLoader loader) {
        this.loader = loader;
    }

    /**
     * The javadoc for a JShell documentation signature such as
     * {@code org.calmnest.dsl.spec.CalmSpec org.calmnest.dsl.Calmnest.calm()}; null when unknown.
     */
    public String javadocFor(String signature) {
        if (signature == null || !signature.contains("calmnest") && !signature.contains("Calmnest")) {
            return null;
        }
        // a generic declaring type (the specs' shared SpecSettings<S extends ...>.seed(long)) names
        // its type parameters, with spaces, before the method: drop them to find the type
        signature = withoutTypeArguments(signature);
        int paren = signature.indexOf('(');
        String head = (paren < 0 ? signature : signature.substring(0, paren)).trim();
        String name = head.substring(head.lastIndexOf(' ') + 1);
        int params = paren < 0 ? -1 : countParams(signature.substring(paren + 1, signature.lastIndexOf(')') < 0
                ? signature.length() : signature.lastIndexOf(')')));
        if (paren < 0) { // a type: its class comment
            return classDoc(name, null, -1);
        }
        int dot = name.lastIndexOf('.');
        return dot < 0 ? null : classDoc(name.substring(0, dot), name.substring(dot + 1), params);
    }

    private String classDoc(String typeName, String method, int params) {
        String source = sourceOf(typeName);
        if (source == null) {
            return null;
        }
        String simple = typeName.substring(typeName.lastIndexOf('.') + 1);
        return cache.computeIfAbsent(typeName + "#" + method + "/" + params, k -> find(source, simple, method, params));
    }

    private String sourceOf(String typeName) {
        List<String> candidates = new ArrayList<>();
        if (typeName.contains(".")) {
            String[] parts = typeName.split("\\.");
            // nested types: try a.b.C, then a.b (for a.b.C.D the file is a/b/C.java)
            for (int n = parts.length; n > 0; n--) {
                candidates.add(String.join("/", java.util.Arrays.copyOf(parts, n)) + ".java");
            }
        } else {
            for (String p : PACKAGES) {
                candidates.add(p.replace('.', '/') + "/" + typeName + ".java");
            }
        }
        for (String c : candidates) {
            try (InputStream in = loader.getResourceAsStream(ROOT + c)) {
                if (in != null) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            } catch (IOException ignored) {
                // try the next candidate
            }
        }
        return null;
    }

    private static String find(String source, String type, String method, int params) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            return null;
        }
        SimpleJavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + type + ".java"),
                javax.tools.JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        JavacTask task = (JavacTask) javac.getTask(null, null, d -> { }, List.of("-proc:none"), null, List.of(file));
        Trees trees = Trees.instance(task);
        String[] found = new String[1];
        try {
            for (CompilationUnitTree unit : task.parse()) {
                new TreePathScanner<Void, Void>() {
                    @Override
                    public Void visitClass(ClassTree node, Void unused) {
                        if (method == null && found[0] == null && node.getSimpleName().contentEquals(type)) {
                            found[0] = trees.getDocComment(getCurrentPath());
                        }
                        return super.visitClass(node, unused);
                    }

                    @Override
                    public Void visitMethod(MethodTree node, Void unused) {
                        if (method != null && found[0] == null && node.getName().contentEquals(method)
                                && (params < 0 || node.getParameters().size() == params)) {
                            found[0] = trees.getDocComment(getCurrentPath());
                        }
                        return super.visitMethod(node, unused);
                    }
                }.scan(unit, null);
            }
        } catch (IOException e) {
            return null;
        }
        return found[0] == null ? null : plain(found[0]);
    }

    /** Javadoc markup to readable text: {@code {@code x}} to x, tags kept, HTML dropped. */
    static String plain(String doc) {
        return doc.replaceAll("\\{@(?:code|link|linkplain|literal) ([^}]*)}", "$1")
                .replaceAll("</?(p|b|i|em|strong|code|pre|ul|ol|li|br)\\s*/?>", "")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
                .strip();
    }

    /** The signature with every {@code <...>} (nested ones included) removed. */
    static String withoutTypeArguments(String signature) {
        StringBuilder b = new StringBuilder(signature.length());
        int depth = 0;
        for (char c : signature.toCharArray()) {
            if (c == '<') {
                depth++;
            } else if (c == '>' && depth > 0) {
                depth--;
            } else if (depth == 0) {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static int countParams(String inside) {
        if (inside.isBlank()) {
            return 0;
        }
        int depth = 0;
        int n = 1;
        for (char c : inside.toCharArray()) {
            if (c == '<') {
                depth++;
            } else if (c == '>') {
                depth--;
            } else if (c == ',' && depth == 0) {
                n++;
            }
        }
        return n;
    }
}
