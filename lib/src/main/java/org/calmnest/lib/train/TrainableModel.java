package org.calmnest.lib.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;

import java.util.List;
import java.util.Map;

/**
 * The small surface every model shows the training loop. The loop never knows which paper it is
 * running: it asks for the loss of a batch, back-propagates, and updates the parameter groups.
 */
public interface TrainableModel {

    /** Short name for logs, e.g. "calm-ae K=4 d=256". */
    String name();

    /** The root DJL block (its parameters are what checkpoints save). */
    Block block();

    /** The parameters, partitioned into groups; every trainable parameter appears exactly once. */
    List<ParameterGroup> parameterGroups();

    /**
     * Forward pass and scalar loss of one batch. Every NDArray created must be attached to
     * {@code manager} (a per-step sub-manager the loop closes after the step).
     *
     * @param training true during training (dropouts active), false for evaluation
     */
    NDArray loss(NDManager manager, TrainBatch batch, boolean training);

    /** Analytic FLOPs of one forward + backward pass over this batch (about 3x forward). */
    double trainingFlops(TrainBatch batch);

    /**
     * Extra held-out metrics for a batch (e.g. "accuracy"); default none. Values are averaged
     * over the validation batches by the loop, weighted by {@link TrainBatch#tokens()}.
     */
    default Map<String, Double> evalMetrics(NDManager manager, TrainBatch batch) {
        return Map.of();
    }

    /** Configuration of the model as JSON, stored in checkpoints so a load can rebuild it. */
    String configJson();

    /** The tokenizer the model reads, saved into checkpoints with it; null when it has none. */
    default org.calmnest.lib.data.Tokenizer tokenizer() {
        return null;
    }
}
