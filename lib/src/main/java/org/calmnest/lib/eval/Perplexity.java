package org.calmnest.lib.eval;

import org.calmnest.lib.train.TrainBatch;

import java.util.List;

/**
 * Cross-entropy, perplexity and bits per byte over held-out batches, summed exactly (not an
 * average of batch averages): {@code ce = sum nats / predicted tokens}, {@code ppl = exp(ce)},
 * {@code bpb = sum nats / ln 2 / predicted bytes}. A row of T ids predicts its last T - 1 ids, so
 * the bytes of a batch are scaled by predicted / real tokens (exact for byte-level tokenizers up
 * to padding, a close estimate for BPE).
 */
public final class Perplexity {

    /**
     * @param crossEntropy nats per predicted token
     * @param perplexity   exp(crossEntropy)
     * @param bitsPerByte  bits per byte of text, NaN when the batches carry no byte counts
     * @param tokens       predicted tokens
     */
    public record Result(double crossEntropy, double perplexity, double bitsPerByte, long tokens) {
        @Override
        public String toString() {
            return String.format("ce=%.4f nats/token, ppl=%.3f, bpb=%.4f over %d tokens", crossEntropy, perplexity, bitsPerByte, tokens);
        }
    }

    private Perplexity() {
    }

    public static Result of(TokenLogLikelihood model, List<TrainBatch> batches) {
        if (batches == null || batches.isEmpty()) {
            throw new IllegalArgumentException("Perplexity: batches is empty; pass the held-out batches (BatchSource.validation())");
        }
        double nats = 0;
        double bytes = 0;
        long predicted = 0;
        boolean allBytes = true;
        for (TrainBatch b : batches) {
            TokenLogLikelihood.Nll n = model.nll(b);
            nats += n.nats();
            predicted += n.predicted();
            if (n.bytes() <= 0 || n.realTokens() <= 0) {
                allBytes = false;
            } else {
                bytes += (double) n.bytes() * n.predicted() / n.realTokens();
            }
        }
        if (predicted == 0) {
            throw new IllegalArgumentException("Perplexity: the batches contain no predicted tokens; use rows of at least 2 real tokens");
        }
        double ce = nats / predicted;
        return new Result(ce, Math.exp(ce), allBytes ? nats / Math.log(2) / bytes : Double.NaN, predicted);
    }
}
