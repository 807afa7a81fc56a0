package org.calmnest.dsl.spec;

/**
 * The error of calling a trained model's method ({@code generate}, {@code brierLM}) on a spec:
 * a spec is not a model until it is trained. The message shows how to train it first.
 */
final class NotTrained {

    private NotTrained() {
    }

    /**
     * @param entry   the spec's entry call, e.g. {@code transformer()}
     * @param chain   the chain that trains it, e.g. {@code calm().autoencoder(ae)}
     * @param call    the method called, e.g. {@code generate(..)}
     */
    static IllegalStateException error(String entry, String chain, String call) {
        return new IllegalStateException(call + " on " + entry + ": the model is not trained yet; train it first, e.g."
                + " var lm = " + chain + ".train(europarl(\"en\"), minutes(1)); then lm." + call.replace("..", "\"The Commission\""));
    }
}
