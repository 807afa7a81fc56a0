package org.calmnest.dsl.result;

import org.calmnest.dsl.Temperature;

/** A trained language model the DSL can compare: BrierLM, generation, training FLOPs. */
public interface TrainedLm extends TrainedModel {

    /** BrierLM with its n-gram parts on held-out text. */
    BrierScore brierLM();

    /** Training block length in tokens (models are compared on blocks of the same length). */
    int blockLength();

    /** A continuation of the prompt, sampled at temperature 1. */
    String generate(String prompt);

    /** A continuation of the prompt, sampled at temperature T. */
    String generate(String prompt, Temperature t);
}
