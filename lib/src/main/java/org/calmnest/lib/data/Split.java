package org.calmnest.lib.data;

/** The three disjoint parts of a corpus, chosen per document by a stable hash. */
public enum Split {
    TRAIN, VALIDATION, TEST
}
