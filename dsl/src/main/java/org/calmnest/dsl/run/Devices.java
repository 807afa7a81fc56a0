package org.calmnest.dsl.run;

import ai.djl.Device;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.TrainableModel;

/**
 * The device a spec trains on: resolved once when training starts (so a missing GPU fails before
 * any data is read) and read back from the trained model's parameters.
 */
public final class Devices {

    private Devices() {
    }

    /**
     * The device named by a spec's {@code device(..)} ("auto", "cpu", "gpu", "gpu:N").
     *
     * @param where the call to name in the error, e.g. {@code transformer().train(..)}
     * @throws IllegalArgumentException when the name is unknown or the GPU is not there
     */
    public static Device resolve(String where, String name) {
        try {
            return TorchRuntime.device(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    /** Where the model's parameters live, e.g. {@code cpu()} or {@code gpu(0)}. */
    public static String of(TrainableModel model) {
        for (Pair<String, Parameter> p : model.block().getParameters()) {
            if (p.getValue().isInitialized()) {
                return p.getValue().getArray().getDevice().toString();
            }
        }
        throw new IllegalStateException(model.name() + " has no initialised parameters");
    }
}
