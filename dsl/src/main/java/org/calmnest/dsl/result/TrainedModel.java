package org.calmnest.dsl.result;

import org.calmnest.dsl.display.RichDisplay;

/**
 * What every trained DSL model shares: a name, its training {@link History}, its size and the
 * training FLOPs it used (for {@code sameFlopsAs(model)} and the frontier plot).
 */
public interface TrainedModel extends RichDisplay {

    /** Short name, e.g. "calm K=4 d=128 L=2". */
    String name();

    /** The training history so far (grows when training continues). */
    History history();

    /**
     * Where the model's parameters live and train, as DJL names it: {@code cpu()} or
     * {@code gpu(0)} (chosen with the spec's {@code device(..)}).
     */
    String device();

    /** Trainable parameters. */
    long parameterCount();

    /** Cumulative analytic training FLOPs. */
    default double trainingFlops() {
        return history().flops();
    }

    /** At most 15 lines: shapes, parameter counts, settings and key numbers. */
    String summary();
}
