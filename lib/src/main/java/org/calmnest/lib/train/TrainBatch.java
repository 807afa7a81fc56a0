package org.calmnest.lib.train;

/**
 * One batch on the host, before the model turns it into tensors: a (rows, cols) matrix of ids in
 * row-major order. What rows and cols mean is the model's business: chunks of K tokens for the
 * autoencoder, blocks of tokens for a language model.
 *
 * @param ids    rows * cols ids, row-major
 * @param rows   number of rows (the batch dimension)
 * @param cols   ids per row
 * @param tokens real (non-padding) tokens in the batch, for tokens/s and budgets
 * @param bytes  UTF-8 bytes of text the batch covers, for bits per byte (0 when unknown)
 */
public record TrainBatch(int[] ids, int rows, int cols, long tokens, long bytes) {
    public TrainBatch {
        if (ids == null || ids.length != (long) rows * cols) {
            throw new IllegalArgumentException("TrainBatch: ids length " + (ids == null ? "null" : ids.length)
                    + " is not rows * cols = " + rows + " * " + cols);
        }
    }
}
