package org.calmnest.dsl;

import org.calmnest.lib.data.Corpus;

import java.util.ArrayList;
import java.util.List;

/** A small, repetitive corpus that tiny models learn in a few steps. */
public final class TinyCorpus {

    private TinyCorpus() {
    }

    public static Corpus get() {
        String[] subjects = {"The Commission", "The Council", "Parliament", "The committee", "The rapporteur"};
        String[] verbs = {"supports", "rejects", "welcomes", "amends", "adopts"};
        String[] objects = {"the proposal", "the report", "the directive", "the budget", "the resolution"};
        List<String> docs = new ArrayList<>();
        for (int d = 0; d < 40; d++) {
            StringBuilder b = new StringBuilder();
            for (int s = 0; s < 6; s++) {
                int i = d * 7 + s * 3;
                b.append(subjects[i % 5]).append(' ').append(verbs[(i / 5) % 5]).append(' ')
                        .append(objects[(i / 25 + s) % 5]).append(". ");
            }
            docs.add(b.toString().trim());
        }
        return Corpus.ofTexts("tiny", docs);
    }
}
