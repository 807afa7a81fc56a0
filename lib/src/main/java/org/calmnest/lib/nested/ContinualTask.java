package org.calmnest.lib.nested;

import org.calmnest.lib.train.BatchSource;

/**
 * One task of a continual-learning sequence: a name and its data (training stream and held-out
 * batches), e.g. {@code new ContinualTask("en", BlockBatches.of(Corpus.europarl("en"), tok, 1, 65, 8))}.
 */
public record ContinualTask(String name, BatchSource data) {
    public ContinualTask {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("ContinualTask.name is empty: name the task, e.g. \"en\"");
        }
        if (data == null) {
            throw new IllegalArgumentException("ContinualTask \"" + name + "\": data is null; pass a BatchSource such as BlockBatches");
        }
        if (data.validation().isEmpty()) {
            throw new IllegalArgumentException("ContinualTask \"" + name + "\": the held-out split has no batches, so forgetting "
                    + "cannot be measured; the corpus is too small for its split: use a larger corpus or fewer rows per batch");
        }
    }
}
