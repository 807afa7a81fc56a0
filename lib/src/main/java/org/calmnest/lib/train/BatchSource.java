package org.calmnest.lib.train;

import java.util.Iterator;
import java.util.List;

/** Where the training loop gets its host-side batches. */
public interface BatchSource {

    /** An endless (or long) stream of training batches whose order depends only on the seed. */
    Iterator<TrainBatch> train(long seed);

    /** A fixed, finite list of held-out batches (the same every call). */
    List<TrainBatch> validation();
}
