package org.calmnest.dsl;

import org.calmnest.dsl.spec.Check;

/**
 * The budget of each task of a continual run ({@code stepsPerTask(600)}), with validation of
 * every task's held-out split every {@code evalEvery} steps.
 *
 * @param perTask   the budget spent on each task
 * @param evalEvery evaluate every task every E steps (0 = only after each task)
 */
public record TaskBudget(Budget perTask, long evalEvery) {

    public TaskBudget {
        Check.notNull("stepsPerTask(..)", "perTask", perTask, "use stepsPerTask(n)");
        Check.that(perTask.steps() > 0, "stepsPerTask(..)", "steps", perTask.steps(),
                "continual runs are measured in steps per task; use stepsPerTask(n) with n >= 1");
        Check.that(evalEvery >= 0, "stepsPerTask(..)", "evalEvery", evalEvery,
                "use .evalEvery(n) with n >= 1, or 0 to evaluate only after each task");
    }

    /** Evaluates every task every {@code n} steps. */
    public TaskBudget evalEvery(long n) {
        return new TaskBudget(perTask, n);
    }

    @Override
    public String toString() {
        return perTask.steps() + " steps per task" + (evalEvery > 0 ? ", eval every " + evalEvery : "");
    }
}
