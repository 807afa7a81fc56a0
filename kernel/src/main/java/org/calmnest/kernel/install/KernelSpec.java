package org.calmnest.kernel.install;

import com.google.gson.GsonBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code kernel.json} of the calmnest kernel: absolute paths in {@code argv}, language
 * {@code java}, {@code interrupt_mode: message} (interrupts arrive as messages, so they work on
 * every OS and stop DSL training within one step).
 */
public record KernelSpec(String displayName, String java, List<String> jvmOptions, List<String> launch) {

    public static final String DEFAULT_NAME = "calmnest";
    public static final String DEFAULT_DISPLAY_NAME = "calmnest (Java)";

    public KernelSpec {
        if (java == null || java.isBlank()) {
            throw new IllegalArgumentException("java is empty: pass --java /path/to/bin/java");
        }
        if (launch == null || launch.isEmpty()) {
            throw new IllegalArgumentException("launch is empty: the kernel needs -jar <jar> or -cp <path> <main class>");
        }
        jvmOptions = List.copyOf(jvmOptions);
        launch = List.copyOf(launch);
    }

    public List<String> argv() {
        List<String> argv = new ArrayList<>();
        argv.add(java);
        argv.addAll(jvmOptions);
        argv.addAll(launch);
        argv.add("kernel");
        argv.add("{connection_file}");
        return argv;
    }

    public String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("argv", argv());
        json.put("display_name", displayName);
        json.put("language", "java");
        json.put("interrupt_mode", "message");
        json.put("env", Map.of());
        json.put("metadata", Map.of("debugger", false));
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(json);
    }
}
