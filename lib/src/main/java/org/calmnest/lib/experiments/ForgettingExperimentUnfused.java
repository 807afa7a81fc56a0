package org.calmnest.lib.experiments;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import org.calmnest.lib.train.AdamW;
import org.calmnest.lib.train.ParameterGroup;
import org.calmnest.lib.train.TrainBatch;
import org.calmnest.lib.train.TrainConfig;
import org.calmnest.lib.train.TrainableModel;

import java.util.List;
import java.util.Map;

/**
 * A model whose parameter groups use the operation-by-operation AdamW ({@link AdamW#unfused})
 * instead of the Trainer's default fused kernel, with the run's betas and weight decay. The fused
 * kernel rounds differently, so runs made before it existed (lib/results/nested-run*.md of the
 * first session) are only reproduced with this form. Everything else (periods, rate scales, loss,
 * metrics) is the wrapped model's.
 */
record ForgettingExperimentUnfused(TrainableModel inner, TrainConfig train) implements TrainableModel {

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public Block block() {
        return inner.block();
    }

    /** One fresh unfused AdamW per group (each keeps its own state). */
    @Override
    public List<ParameterGroup> parameterGroups() {
        return inner.parameterGroups().stream()
                .map(g -> new ParameterGroup(g.name(), g.params(), g.period(), g.lrScale(),
                        AdamW.unfused(train.beta1(), train.beta2(), 1e-8, train.weightDecay())))
                .toList();
    }

    @Override
    public NDArray loss(NDManager manager, TrainBatch batch, boolean training) {
        return inner.loss(manager, batch, training);
    }

    @Override
    public double trainingFlops(TrainBatch batch) {
        return inner.trainingFlops(batch);
    }

    @Override
    public Map<String, Double> evalMetrics(NDManager manager, TrainBatch batch) {
        return inner.evalMetrics(manager, batch);
    }

    @Override
    public String configJson() {
        return inner.configJson();
    }
}
