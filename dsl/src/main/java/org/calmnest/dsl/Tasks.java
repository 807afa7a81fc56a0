package org.calmnest.dsl;

import org.calmnest.dsl.spec.Check;
import org.calmnest.lib.data.Corpus;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A sequence of tasks for continual learning: corpora trained one after another with no data of
 * earlier tasks (e.g. English then German Europarl).
 *
 * @param corpora the tasks in training order (at least two, distinct names)
 */
public record Tasks(List<Corpus> corpora) {

    public Tasks {
        Check.notNull("tasks(..)", "corpora", corpora, "pass at least two corpora, e.g. tasks(europarl(\"en\"), europarl(\"de\"))");
        Check.that(corpora.size() >= 2, "tasks(..)", "number of tasks", corpora.size(),
                "forgetting needs at least two tasks, e.g. tasks(europarl(\"en\"), europarl(\"de\"))");
        Set<String> names = new HashSet<>();
        for (int i = 0; i < corpora.size(); i++) {
            Check.notNull("tasks(..)", "corpora[" + i + "]", corpora.get(i), "pass a corpus such as europarl(\"de\")");
            Check.that(names.add(corpora.get(i).name()), "tasks(..)", "corpora[" + i + "]", corpora.get(i).name(),
                    "every task must be a different corpus (the same name appears twice)");
        }
        corpora = List.copyOf(corpora);
    }

    /** Task names in order. */
    public List<String> names() {
        List<String> n = new ArrayList<>();
        corpora.forEach(c -> n.add(c.name()));
        return n;
    }

    public int size() {
        return corpora.size();
    }

    @Override
    public String toString() {
        return "tasks" + names();
    }
}
