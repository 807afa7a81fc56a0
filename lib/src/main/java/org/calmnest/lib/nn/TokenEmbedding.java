package org.calmnest.lib.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * A lookup table E of shape (V, d): ids of any shape (...) map to rows (..., d). Initialised
 * N(0, 0.02). The weight is public so a head can tie to it.
 */
public final class TokenEmbedding extends AbstractBlock {

    private final int vocab;
    private final int dim;
    private final Parameter weight;

    public TokenEmbedding(int vocab, int dim) {
        if (vocab < 1) {
            throw new IllegalArgumentException("TokenEmbedding: vocab = " + vocab + ", use the tokenizer's vocabSize()");
        }
        if (dim < 1) {
            throw new IllegalArgumentException("TokenEmbedding: dim = " + dim + ", use a positive width");
        }
        this.vocab = vocab;
        this.dim = dim;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(vocab, dim)).optInitializer(new NormalInitializer(0.02f)).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.singletonOrThrow(), training));
    }

    /** ids (...) of an integer type -> (..., d). */
    public NDArray forward(ParameterStore ps, NDArray ids, boolean training) {
        NDArray w = ps.getValue(weight, ids.getDevice(), training); // (V, d)
        NDArray idx = ids.getDataType() == DataType.INT64 ? ids : ids.toType(DataType.INT64, false);
        return idx.getNDArrayInternal().embedding(idx, w, SparseFormat.DENSE).singletonOrThrow(); // (..., d)
    }

    public Parameter weight() {
        return weight;
    }

    public int vocab() {
        return vocab;
    }

    public int dim() {
        return dim;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(dim)};
    }
}
