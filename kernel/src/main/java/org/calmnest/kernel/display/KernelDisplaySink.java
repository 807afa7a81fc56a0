package org.calmnest.kernel.display;

import org.calmnest.dsl.display.DisplaySink;
import org.calmnest.kernel.io.KernelIO;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;

import java.util.UUID;

/**
 * The {@link DisplaySink} the kernel installs: {@code display(obj)} sends {@code display_data}
 * with a fresh display id, {@code updateDisplay(id, obj)} sends {@code update_display_data} so
 * the frontend replaces that output in place (live training charts and progress bars).
 */
public final class KernelDisplaySink implements DisplaySink {

    private final KernelIO io;
    private final Renderer renderer;

    public KernelDisplaySink(KernelIO io, Renderer renderer) {
        this.io = io;
        this.renderer = renderer;
    }

    @Override
    public String display(Object value) {
        String id = UUID.randomUUID().toString();
        DisplayData data = renderer.render(value);
        data.setDisplayId(id);
        io.display(data);
        return id;
    }

    @Override
    public void update(String displayId, Object value) {
        if (displayId == null || displayId.isBlank()) {
            throw new IllegalArgumentException("displayId is empty: pass the id that display(value) returned");
        }
        DisplayData data = renderer.render(value);
        data.setDisplayId(displayId);
        io.updateDisplay(data);
    }

    @Override
    public boolean isRich() {
        return true;
    }
}
