package org.calmnest.lib.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import org.calmnest.lib.nn.KvCache;
import org.calmnest.lib.nn.TokenEmbedding;
import org.calmnest.lib.nn.TransformerBackbone;

/** The baseline's DJL block: ids (B, T) -> embedding (B, T, d) -> backbone -> logits (B, T, V). */
final class TokenLmNet extends AbstractBlock {

    private final TokenEmbedding embedding;
    private final TransformerBackbone backbone;
    private final Linear head;

    TokenLmNet(TokenLmConfig config) {
        this.embedding = addChildBlock("embedding", new TokenEmbedding(config.vocabSize(), config.backbone().d()));
        this.backbone = addChildBlock("backbone", new TransformerBackbone(config.backbone()));
        this.head = addChildBlock("head", Linear.builder().setUnits(config.vocabSize()).optBias(false).build());
        head.setInitializer(new NormalInitializer(0.02f), Parameter.Type.WEIGHT);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(logits(ps, inputs.singletonOrThrow(), training));
    }

    /** Full causal pass: ids (B, T) -> logits (B, T, V). */
    NDArray logits(ParameterStore ps, NDArray ids, boolean training) {
        NDArray x = embedding.forward(ps, ids, training); // (B, T, d)
        NDArray h = backbone.forward(ps, x, training); // (B, T, d)
        return head.forward(ps, new NDList(h), training).singletonOrThrow(); // (B, T, V)
    }

    /** Incremental pass over new ids (B, T) at the cache's position -> logits (B, T, V). */
    NDArray logits(ParameterStore ps, NDArray ids, KvCache cache) {
        NDArray x = embedding.forward(ps, ids, false);
        NDArray h = backbone.forward(ps, x, cache);
        return head.forward(ps, new NDList(h), false).singletonOrThrow();
    }

    TransformerBackbone backbone() {
        return backbone;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape ids = inputShapes[0]; // (B, T)
        Shape hidden = ids.add(backbone.config().d()); // (B, T, d)
        embedding.initialize(manager, dataType, ids);
        backbone.initialize(manager, dataType, hidden);
        head.initialize(manager, dataType, hidden);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(embedding.vocab())};
    }
}
