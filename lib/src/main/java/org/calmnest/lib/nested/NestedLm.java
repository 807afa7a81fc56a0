package org.calmnest.lib.nested;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import org.calmnest.lib.nn.RmsNorm;
import org.calmnest.lib.nn.SwiGlu;
import org.calmnest.lib.nn.TransformerBackbone;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.ParameterGroup;
import org.calmnest.lib.train.TrainBatch;
import org.calmnest.lib.train.TrainableModel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The nested-learning language model — read this file first. Every experiment arm is one
 * {@link NestedLmConfig}:
 * <pre>
 *   x = Embed(ids)                                                     (B, T, d)
 *   per layer:  x = x + Mixer(RMSNorm(x))      Mixer = RoPE softmax attention | SelfModifyingMemory (HOPE)
 *               x = x + FF(RMSNorm(x))         FF = SwiGLU | ContinuumMemory (k residual SwiGLU levels)
 *   logits = Head(RMSNorm(x)),  loss = mean next-token cross-entropy over non-PAD targets
 * </pre>
 * With {@code levelGroups} the parameters form one {@link ParameterGroup} per CMS level (period
 * C_l, rate scale s_l); embeddings, mixers, norms and the head join the fastest level's group.
 * The trainer then freezes each level within its period and steps on the period's summed gradient.
 * The parameters live on the device given at construction (default: the engine's default
 * device, the first GPU when there is one); batches are moved there. The model owns its
 * parameters' manager: close it when done.
 */
public final class NestedLm implements TrainableModel, AutoCloseable {

    private final NestedLmConfig config;
    private final NDManager manager;
    private final Net net;

    /**
     * @param seed     seeds the parameter initialisation
     * @param dataType FLOAT32 for training, FLOAT64 for exact tests
     * @param device   where the parameters live; the trainer puts batches and optimiser state there too
     */
    public NestedLm(NestedLmConfig config, long seed, DataType dataType, Device device) {
        if (config == null) {
            throw new IllegalArgumentException("NestedLm: config is null; build a NestedLmConfig first");
        }
        if (device == null) {
            throw new IllegalArgumentException("NestedLm: device is null; use TorchRuntime.device(\"auto\") or Device.cpu()");
        }
        if (dataType == null) {
            throw new IllegalArgumentException("NestedLm: dataType is null; use DataType.FLOAT32 (or FLOAT64 for exact tests)");
        }
        this.config = config;
        this.manager = TorchRuntime.engine().newBaseManager(device);
        TorchRuntime.seed(seed);
        this.net = new Net(config);
        net.initialize(manager, dataType, new Shape(1, config.backbone().context()));
    }

    /** On the engine's default device ({@code TorchRuntime.device("auto")}: the first GPU if any, else the CPU). */
    public NestedLm(NestedLmConfig config, long seed, DataType dataType) {
        this(config, seed, dataType, TorchRuntime.device("auto"));
    }

    /** FLOAT32 on the given device. */
    public NestedLm(NestedLmConfig config, long seed, Device device) {
        this(config, seed, DataType.FLOAT32, device);
    }

    /** FLOAT32 on the engine's default device. */
    public NestedLm(NestedLmConfig config, long seed) {
        this(config, seed, DataType.FLOAT32);
    }

    /** The device holding the parameters. */
    public Device device() {
        return manager.getDevice();
    }

    public NestedLmConfig config() {
        return config;
    }

    @Override
    public String name() {
        return config.toString();
    }

    @Override
    public Block block() {
        return net;
    }

    /** Trainable numbers in the model. */
    public long parameterCount() {
        long n = 0;
        for (Pair<String, Parameter> p : net.getParameters()) {
            n += p.getValue().getArray().size();
        }
        return n;
    }

    @Override
    public List<ParameterGroup> parameterGroups() {
        List<Parameter> all = new ArrayList<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            all.add(p.getValue());
        }
        if (!config.levelGroups()) {
            return List.of(ParameterGroup.every("all", all));
        }
        CmsConfig cms = config.cms();
        int[] periods = cms.periods();
        double[] scales = cms.lrScales();
        int fastest = 0;
        for (int l = 1; l < periods.length; l++) {
            if (periods[l] < periods[fastest]) {
                fastest = l;
            }
        }
        List<List<Parameter>> levels = new ArrayList<>();
        Set<Parameter> inLevels = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int l = 0; l < cms.levels(); l++) {
            List<Parameter> ps = new ArrayList<>();
            for (ContinuumMemory c : net.memories) {
                ps.addAll(c.levelParameters(l));
            }
            inLevels.addAll(ps);
            levels.add(ps);
        }
        for (Parameter p : all) {
            if (!inLevels.contains(p)) {
                levels.get(fastest).add(p);       // attention, embeddings, norms, head: the fastest level
            }
        }
        List<ParameterGroup> groups = new ArrayList<>();
        for (int l = 0; l < cms.levels(); l++) {
            groups.add(new ParameterGroup("level" + l, levels.get(l), periods[l], scales[l], null));
        }
        return groups;
    }

    @Override
    public NDArray loss(NDManager m, TrainBatch batch, boolean training) {
        return nll(m, batch, training).loss;
    }

    @Override
    public Map<String, Double> evalMetrics(NDManager m, TrainBatch batch) {
        Scored s = nll(m, batch, false);
        double count = s.count;
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("accuracy", count == 0 ? 0 : s.correct / count);
        double bits = scalar(s.loss) * count / Math.log(2);
        out.put("bitsPerByte", batch.bytes() > 0 ? bits / batch.bytes() : bits / Math.max(1, count));
        return out;
    }

    private record Scored(NDArray loss, double count, double correct) {
    }

    private Scored nll(NDManager m, TrainBatch batch, boolean training) {
        if (batch.cols() < 2) {
            throw new IllegalArgumentException("NestedLm: a batch row has " + batch.cols() + " ids; next-token training needs at least 2");
        }
        NDArray ids = m.create(batch.ids(), new Shape(batch.rows(), batch.cols()))
                .toDevice(manager.getDevice(), false).toType(DataType.INT64, false);             // (B, T+1), on the model's device
        NDArray input = ids.get(new NDIndex(":, :-1"));                                      // (B, T)
        NDArray target = ids.get(new NDIndex(":, 1:"));                                      // (B, T)
        ParameterStore ps = new ParameterStore(m, false);
        NDArray logits = net.forward(ps, input, training);                                   // (B, T, V)
        NDArray logp = logits.logSoftmax(-1);
        NDArray nll = logp.gather(target.expandDims(-1), -1).squeeze(-1).neg();              // (B, T)
        NDArray mask = config.pad() < 0 ? m.ones(target.getShape(), nll.getDataType())
                : target.neq(config.pad()).toType(nll.getDataType(), false);
        double count = scalar(mask.sum());
        NDArray loss = nll.mul(mask).sum().div((float) Math.max(count, 1));
        double correct = training ? 0 : logits.argMax(-1).eq(target).toType(nll.getDataType(), false).mul(mask).sum().toType(DataType.FLOAT64, false).getDouble();
        return new Scored(loss, count, correct);
    }

    private static double scalar(NDArray x) {
        return x.toType(DataType.FLOAT64, false).getDouble();
    }

    /**
     * Analytic training FLOPs of the batch ({@link NestedFlops}: 3 x forward; matmul work of the
     * mixers, feed-forwards or CMS levels, HOPE's in-context memory reads, inner gradients and DGD
     * updates, and the output projection). The embedding lookup is a gather, not a matmul, and
     * is not counted, although its table is a parameter.
     */
    @Override
    public double trainingFlops(TrainBatch batch) {
        return NestedFlops.training(config, batch.rows(), batch.cols() - 1);
    }

    @Override
    public String configJson() {
        return "{\"model\":\"nested-lm\",\"config\":\"" + config.toString().replace("\"", "'") + "\"}";
    }

    @Override
    public void close() {
        manager.close();
    }

    /** The DJL block: embedding, layers, final norm, head. */
    static final class Net extends AbstractBlock {
        private final NestedLmConfig config;
        private final Parameter embedding;
        private final TransformerBackbone backbone;        // attention mixer (has its own final norm)
        private final List<HopeBlock> hopeBlocks = new ArrayList<>();
        private final RmsNorm hopeNorm;
        private final Linear head;
        final List<ContinuumMemory> memories = new ArrayList<>();

        Net(NestedLmConfig config) {
            this.config = config;
            int d = config.backbone().d();
            this.embedding = addParameter(Parameter.builder().setName("embedding").setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(config.vocabSize(), d)).optInitializer(new NormalInitializer(0.02f)).build());
            if (config.mixer() == NestedLmConfig.Mixer.ATTENTION) {
                this.backbone = addChildBlock("backbone", new TransformerBackbone(config.backbone(), i -> feedForward()));
                this.hopeNorm = null;
            } else {
                this.backbone = null;
                for (int i = 0; i < config.backbone().layers(); i++) {
                    hopeBlocks.add(addChildBlock("hope" + i, new HopeBlock(d, config.hope(), feedForward())));
                }
                this.hopeNorm = addChildBlock("finalNorm", new RmsNorm(d));
            }
            this.head = addChildBlock("head", Linear.builder().setUnits(config.vocabSize()).optBias(false).build());
        }

        private Block feedForward() {
            if (config.cms() == null) {
                return new SwiGlu(config.backbone().d(), config.backbone().ffInner());
            }
            ContinuumMemory c = new ContinuumMemory(config.backbone().d(), config.cms());
            memories.add(c);
            return c;
        }

        /** ids (B, T) -> logits (B, T, V). */
        NDArray forward(ParameterStore ps, NDArray ids, boolean training) {
            NDArray w = ps.getValue(embedding, ids.getDevice(), training);                  // (V, d)
            NDArray x = ids.getNDArrayInternal().embedding(ids, w, SparseFormat.DENSE).singletonOrThrow(); // (B, T, d)
            if (backbone != null) {
                x = backbone.forward(ps, x, training);
            } else {
                for (HopeBlock b : hopeBlocks) {
                    x = b.forward(ps, new NDList(x), training).singletonOrThrow();
                }
                x = hopeNorm.forward(ps, new NDList(x), training).singletonOrThrow();
            }
            return head.forward(ps, new NDList(x), training).singletonOrThrow();            // (B, T, V)
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return new NDList(forward(ps, inputs.singletonOrThrow(), training));
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            Shape hidden = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), config.backbone().d());
            for (Block child : getChildren().values()) {
                child.initialize(manager, dataType, hidden);
            }
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[]{new Shape(inputShapes[0].get(0), inputShapes[0].get(1), config.vocabSize())};
        }
    }
}
