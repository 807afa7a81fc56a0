package org.calmnest.lib.train;

/**
 * What one optimiser step produced; every listener receives these.
 *
 * @param step        optimiser step, from 1
 * @param tokens      tokens seen so far
 * @param loss        training loss of this step (mean over accumulated micro-batches)
 * @param lr          base learning rate used at this step
 * @param gradNorm    global gradient norm before clipping
 * @param tokensPerSecond throughput of this step
 * @param flops       cumulative analytic training FLOPs
 * @param wallSeconds seconds since the run started
 */
public record StepRecord(long step, long tokens, double loss, double lr, double gradNorm,
                         double tokensPerSecond, double flops, double wallSeconds) {
}
