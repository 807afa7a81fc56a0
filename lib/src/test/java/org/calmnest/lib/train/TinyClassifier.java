package org.calmnest.lib.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.ndarray.NDList;
import ai.djl.training.initializer.NormalInitializer;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A test model: learn to predict (id + 1) mod V from a one-hot id, through two linear layers, with
 * input noise so that the engine's random generator matters (for resume equivalence).
 */
final class TinyClassifier implements TrainableModel {
    static final int V = 8;
    private final SequentialBlock block = new SequentialBlock();
    private final NDManager manager;
    private final int periodOfSecond;

    private final DataType type;

    TinyClassifier(NDManager manager, long seed, int periodOfSecond) {
        this(manager, seed, periodOfSecond, DataType.FLOAT32);
    }

    TinyClassifier(NDManager manager, long seed, int periodOfSecond, DataType type) {
        this.manager = manager;
        this.type = type;
        this.periodOfSecond = periodOfSecond;
        org.calmnest.lib.runtime.TorchRuntime.seed(seed);
        block.add(Linear.builder().setUnits(16).build());
        block.add(Linear.builder().setUnits(V).build());
        block.setInitializer(new NormalInitializer(0.1f), Parameter.Type.WEIGHT);
        block.initialize(manager, type, new Shape(1, V));
    }

    @Override
    public String name() {
        return "tiny-classifier";
    }

    @Override
    public Block block() {
        return block;
    }

    @Override
    public List<ParameterGroup> parameterGroups() {
        List<Parameter> first = new ArrayList<>();
        List<Parameter> second = new ArrayList<>();
        block.getChildren().get(0).getValue().getParameters().forEach(p -> first.add(p.getValue()));
        block.getChildren().get(1).getValue().getParameters().forEach(p -> second.add(p.getValue()));
        return List.of(ParameterGroup.every("first", first),
                new ParameterGroup("second", second, periodOfSecond, 1.0, null));
    }

    @Override
    public NDArray loss(NDManager m, TrainBatch batch, boolean training) {
        NDArray ids = m.create(batch.ids(), new Shape(batch.rows(), batch.cols()));   // (B, 2)
        NDArray x = ids.get(":, 0").oneHot(V).toType(type, false);                      // (B, V)
        if (training) {
            x = x.add(m.randomNormal(0, 0.05f, x.getShape(), DataType.FLOAT32).toType(type, false));
        }
        NDArray logits = block.forward(new ParameterStore(m, false), new NDList(x), training).singletonOrThrow();
        NDArray logp = logits.logSoftmax(-1);                                           // (B, V)
        NDArray target = ids.get(":, 1").oneHot(V).toType(type, false);
        return logp.mul(target).sum(new int[]{1}).neg().mean();
    }

    @Override
    public double trainingFlops(TrainBatch batch) {
        return 6.0 * batch.rows() * (V * 16 + 16 * V);
    }

    @Override
    public Map<String, Double> evalMetrics(NDManager m, TrainBatch batch) {
        NDArray ids = m.create(batch.ids(), new Shape(batch.rows(), batch.cols()));
        NDArray x = ids.get(":, 0").oneHot(V).toType(type, false);
        NDArray logits = block.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
        NDArray correct = logits.argMax(-1).toType(DataType.INT32, false).eq(ids.get(":, 1").toType(DataType.INT32, false));
        return Map.of("accuracy", (double) correct.toType(DataType.FLOAT32, false).mean().getFloat());
    }

    @Override
    public String configJson() {
        return "{\"V\":" + V + ",\"hidden\":16,\"period\":" + periodOfSecond + "}";
    }

    /** Random (id, id+1 mod V) pairs, batch of 16, seeded. */
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
                        return batch(r, 16);
                    }
                };
            }

            @Override
            public List<TrainBatch> validation() {
                Random r = new Random(7);
                return List.of(batch(r, 32), batch(r, 32));
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
