package org.calmnest.kernel.edit;

import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager.ResultFlag;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MemoryHistoryTest {

    private static MemoryHistory sample() {
        MemoryHistory h = new MemoryHistory();
        h.add(1, "int a = 1;", "");
        h.add(2, "a + 1", "2");
        h.add(3, "a + 1", "2");
        h.add(4, "display(a)", "");
        return h;
    }

    @Test
    void tailReturnsTheLastCellsInOrder() {
        List<HistoryEntry> tail = sample().lookupTail(2, EnumSet.noneOf(ResultFlag.class));
        assertThat(tail).extracting(HistoryEntry::getCellNumber).containsExactly(3, 4);
        assertThat(tail.get(0).hasOutput()).isFalse();
        assertThat(sample().lookupTail(1, EnumSet.of(ResultFlag.INCLUDE_OUTPUT)).get(0).getOutput()).isEqualTo("");
    }

    @Test
    void rangeIsHalfOpen() {
        assertThat(sample().lookupRange(1, 2, 3, EnumSet.noneOf(ResultFlag.class)))
                .extracting(HistoryEntry::getInput).containsExactly("a + 1");
    }

    @Test
    void globSearchWithUnique() {
        MemoryHistory h = sample();
        assertThat(h.search("a *", 10, EnumSet.noneOf(ResultFlag.class))).hasSize(2);
        assertThat(h.search("a *", 10, EnumSet.of(ResultFlag.UNIQUE))).hasSize(1);
        assertThat(h.search("[d]isplay?a)", 10, EnumSet.noneOf(ResultFlag.class))).hasSize(1);
    }
}
