package org.calmnest.lib.eval;

import org.calmnest.lib.train.TrainBatch;

/** A model that can score the next-token log-likelihood of held-out text exactly. */
public interface TokenLogLikelihood {

    /** Summed negative log-likelihood (nats) of every predicted, non-padding token of the batch. */
    Nll nll(TrainBatch batch);

    /**
     * @param nats       summed -ln p over predicted tokens
     * @param predicted  number of predicted tokens
     * @param realTokens the batch's real tokens (TrainBatch.tokens), for scaling its byte count
     * @param bytes      UTF-8 bytes the batch covers (0 when unknown)
     */
    record Nll(double nats, long predicted, long realTokens, long bytes) {
    }
}
