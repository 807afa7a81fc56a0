package org.calmnest.lib.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.TrainBatch;
import org.calmnest.lib.train.TrainableModel;

import java.util.HashMap;
import java.util.Map;

/** A minimal Adam loop for tests that must not depend on the shared Trainer. */
final class HandLoop {

    private final TrainableModel model;
    private final NDManager state;
    private final Map<String, NDArray[]> moments = new HashMap<>();
    private long t;

    HandLoop(TrainableModel model, NDManager parent) {
        this.model = model;
        this.state = parent.newSubManager();
    }

    /** One Adam step (betas 0.9 / 0.99) on the batch; returns the loss before the update. */
    float step(TrainBatch batch, double lr) {
        t++;
        float loss;
        try (NDManager step = state.newSubManager()) {
            try (GradientCollector gc = TorchRuntime.engine().newGradientCollector()) {
                NDArray l = model.loss(step, batch, true);
                gc.backward(l);
                loss = l.getFloat();
            }
            for (Parameter p : model.block().getParameters().values()) {
                NDArray w = p.getArray();
                NDArray g = w.getGradient();
                NDArray[] mv = moments.computeIfAbsent(p.getId(), k -> new NDArray[] {state.zeros(w.getShape()), state.zeros(w.getShape())});
                mv[0].muli(0.9).addi(g.mul(0.1));
                mv[1].muli(0.99).addi(g.square().mul(0.01));
                NDArray mHat = mv[0].div(1 - Math.pow(0.9, t));
                NDArray vHat = mv[1].div(1 - Math.pow(0.99, t));
                w.subi(mHat.div(vHat.sqrt().add(1e-8)).mul(lr));
                mHat.close();
                vHat.close();
            }
            for (Parameter p : model.block().getParameters().values()) {
                p.getArray().getGradient().subi(p.getArray().getGradient());
            }
        }
        return loss;
    }
}
