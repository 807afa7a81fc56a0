package org.calmnest.lib.reliability;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.BatchSource;
import org.calmnest.lib.train.ParameterGroup;
import org.calmnest.lib.train.TrainBatch;
import org.calmnest.lib.train.TrainableModel;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * A model for crash and soak tests: predict (id + 1) mod V from a one-hot id through a hidden
 * layer of {@code hidden} units. {@code hidden} sets the checkpoint size (about 3 * 2 * V * hidden
 * floats with AdamW state), so a kill lands inside a save often enough.
 */
final class CrashModel implements TrainableModel {
    static final int V = 64;
    private final SequentialBlock block = new SequentialBlock();
    private final int hidden;

    CrashModel(NDManager manager, long seed, int hidden) {
        this.hidden = hidden;
        TorchRuntime.seed(seed);
        block.add(Linear.builder().setUnits(hidden).build());
        block.add(Linear.builder().setUnits(V).build());
        block.setInitializer(new NormalInitializer(0.05f), Parameter.Type.WEIGHT);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, V));
    }

    @Override
    public String name() {
        return "crash-model h=" + hidden;
    }

    @Override
    public Block block() {
        return block;
    }

    @Override
    public List<ParameterGroup> parameterGroups() {
        List<Parameter> ps = new ArrayList<>();
        block.getParameters().forEach(p -> ps.add(p.getValue()));
        return List.of(ParameterGroup.every("all", ps));
    }

    @Override
    public NDArray loss(NDManager m, TrainBatch batch, boolean training) {
        NDArray ids = m.create(batch.ids(), new Shape(batch.rows(), batch.cols()));          // (B, 2)
        NDArray x = ids.get(":, 0").oneHot(V);                                                 // (B, V)
        NDArray logits = block.forward(new ParameterStore(m, false), new NDList(x), training).singletonOrThrow();
        NDArray target = ids.get(":, 1").oneHot(V);                                            // (B, V)
        return logits.logSoftmax(-1).mul(target).sum(new int[]{1}).neg().mean();
    }

    @Override
    public double trainingFlops(TrainBatch batch) {
        return 6.0 * batch.rows() * 2.0 * V * hidden;
    }

    @Override
    public String configJson() {
        return "{\"V\":" + V + ",\"hidden\":" + hidden + "}";
    }

    /** Endless seeded batches of (id, id + 1 mod V); two validation batches. */
    static BatchSource data() {
        return new BatchSource() {
            @Override
            public Iterator<TrainBatch> train(long seed) {
                Random r = new Random(seed);
                return new Iterator<>() {
                    public boolean hasNext() {
                        return true;
                    }

                    public TrainBatch next() {
                        return batch(r, 32);
                    }
                };
            }

            @Override
            public List<TrainBatch> validation() {
                Random r = new Random(7);
                return List.of(batch(r, 64), batch(r, 64));
            }
        };
    }

    static TrainBatch batch(Random r, int rows) {
        int[] ids = new int[rows * 2];
        for (int i = 0; i < rows; i++) {
            int a = r.nextInt(V);
            ids[2 * i] = a;
            ids[2 * i + 1] = (a + 1) % V;
        }
        return new TrainBatch(ids, rows, 2, rows * 2L, rows * 2L);
    }
}
