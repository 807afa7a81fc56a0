package org.calmnest.dsl;

/**
 * What mixes positions in each layer of a {@code nested()} model: softmax attention
 * ({@code attention()}, Hope-Attention when combined with CMS levels) or HOPE's self-modifying
 * memory ({@code selfModifying()}, NESTED.md §4).
 */
public enum Memory {
    ATTENTION, SELF_MODIFYING
}
