package org.calmnest.lib.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values of every layer for incremental decoding. It owns a sub-manager of the manager
 * it was made from, so cached tensors outlive the per-step managers of generation and are freed
 * together by {@link #close()}. Keys are stored already rotated by RoPE.
 *
 * <p>Protocol: a forward over T new positions reads {@link #length()} as the position offset,
 * calls {@link #append} once per layer, then {@link #advance(int)} once with T.
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final NDArray[] keys;   // per layer (B, H, P, hd)
    private final NDArray[] values; // per layer (B, H, P, hd)
    private final int capacity;
    private int length;
    private boolean closed;

    /**
     * @param parent   the manager the cache's own sub-manager is made from
     * @param layers   number of attention layers
     * @param capacity the most positions it may hold (the model's context)
     */
    public KvCache(NDManager parent, int layers, int capacity) {
        if (layers < 1) {
            throw new IllegalArgumentException("KvCache: layers = " + layers + ", use at least 1");
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("KvCache: capacity = " + capacity + ", use the model context (>= 1)");
        }
        this.manager = parent.newSubManager();
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
        this.capacity = capacity;
    }

    /** Positions already cached (the RoPE offset of the next forward). */
    public int length() {
        return length;
    }

    public int capacity() {
        return capacity;
    }

    public int layers() {
        return keys.length;
    }

    /** Throws unless {@code t} more positions fit. */
    public void checkRoom(int t) {
        checkOpen();
        if (length + t > capacity) {
            throw new IllegalArgumentException("KvCache: " + length + " cached + " + t + " new positions exceed the context "
                    + capacity + "; start a new cache, shorten the prompt/generation, or use a larger context");
        }
    }

    /**
     * Appends this step's keys and values (B, H, T, hd) of one layer and returns the full cached
     * keys and values (B, H, P + T, hd), owned by the cache.
     */
    public NDArray[] append(int layer, NDArray k, NDArray v) {
        checkOpen();
        if (keys[layer] == null) {
            keys[layer] = k.duplicate();
            values[layer] = v.duplicate();
            keys[layer].attach(manager);
            values[layer].attach(manager);
        } else {
            NDArray nk = keys[layer].concat(k, 2);
            NDArray nv = values[layer].concat(v, 2);
            nk.attach(manager);
            nv.attach(manager);
            keys[layer].close();
            values[layer].close();
            keys[layer] = nk;
            values[layer] = nv;
        }
        return new NDArray[] {keys[layer], values[layer]};
    }

    /**
     * A new cache holding the first {@code length} cached positions of every layer, each batch row
     * repeated {@code repeats} times (rows b*repeats .. b*repeats + repeats - 1 copy row b): the
     * shared prefix from which several continuations are decoded in one batch.
     */
    public KvCache prefix(NDManager parent, int length, int repeats) {
        checkOpen();
        if (length < 1 || length > this.length) {
            throw new IllegalArgumentException("KvCache.prefix: length = " + length + ", use 1.." + this.length + " (the cached positions)");
        }
        if (repeats < 1) {
            throw new IllegalArgumentException("KvCache.prefix: repeats = " + repeats + ", use at least 1");
        }
        KvCache c = new KvCache(parent, keys.length, capacity);
        for (int l = 0; l < keys.length; l++) {
            c.keys[l] = repeatPrefix(keys[l], length, repeats, c.manager); // (B * r, H, length, hd)
            c.values[l] = repeatPrefix(values[l], length, repeats, c.manager);
        }
        c.length = length;
        return c;
    }

    private static NDArray repeatPrefix(NDArray a, int length, int repeats, NDManager owner) {
        try (NDArray slice = a.get(":, :, 0:" + length + ", :")) {
            NDArray r = slice.repeat(0, repeats);
            r.attach(owner);
            return r;
        }
    }

    /** Marks {@code t} positions as appended by every layer. */
    public void advance(int t) {
        checkOpen();
        length += t;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("KvCache is closed; create a new one with TransformerBackbone.newCache");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            manager.close();
        }
    }
}
