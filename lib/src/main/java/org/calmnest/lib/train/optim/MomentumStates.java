package org.calmnest.lib.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The named state arrays of a momentum-style optimiser ("w1.m", "w1.W1", ...), owned by the
 * optimiser and attached to the trainer's long-lived state manager.
 */
final class MomentumStates {

    private final Map<String, NDArray> arrays = new LinkedHashMap<>();

    /** The array called {@code name}, created by {@code init} (then attached to {@code manager}) the first time. */
    NDArray get(String name, NDManager manager, Supplier<NDArray> init) {
        NDArray a = arrays.get(name);
        if (a == null) {
            a = init.get();
            a.attach(manager);
            arrays.put(name, a);
        }
        return a;
    }

    Map<String, NDArray> view() {
        return Collections.unmodifiableMap(arrays);
    }

    void load(Map<String, NDArray> state, NDManager manager) {
        for (NDArray old : arrays.values()) {
            old.close();
        }
        arrays.clear();
        for (Map.Entry<String, NDArray> e : state.entrySet()) {
            NDArray copy = e.getValue().duplicate();
            copy.attach(manager);
            arrays.put(e.getKey(), copy);
        }
    }

    /** Flat dot product as a double; temporaries are closed at once. */
    static double dot(NDArray a, NDArray b) {
        try (NDArray prod = a.mul(b); NDArray sum = prod.sum(); NDArray d = sum.toType(DataType.FLOAT64, false)) {
            return d.getDouble();
        }
    }

    static void requireRange(String owner, String field, double v, double lo, double hi, String fix) {
        if (!(v >= lo && v <= hi)) {
            throw new IllegalArgumentException(owner + "." + field + " = " + v + " is invalid: " + fix);
        }
    }
}
