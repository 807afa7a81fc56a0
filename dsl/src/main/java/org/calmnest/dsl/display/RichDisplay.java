package org.calmnest.dsl.display;

import java.util.Map;

/**
 * An object that knows how to show itself in a notebook. The kernel asks for the bundle and sends
 * it as display data; a terminal uses {@code text/plain}.
 */
public interface RichDisplay {

    /**
     * MIME type to content: {@code String} for text types ({@code text/plain}, {@code text/html},
     * {@code image/svg+xml}, {@code text/markdown}), {@code byte[]} for {@code image/png}.
     * Always contains {@code text/plain}.
     */
    Map<String, Object> mimeBundle();
}
