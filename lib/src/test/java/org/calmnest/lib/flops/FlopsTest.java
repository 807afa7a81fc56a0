package org.calmnest.lib.flops;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.calmnest.lib.nn.BackboneConfig;
import org.calmnest.lib.nn.TransformerBackbone;
import org.calmnest.lib.runtime.TorchRuntime;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class FlopsTest {

    @Test
    void smallBackboneKnownValues() {
        BackboneConfig c = BackboneConfig.small(); // d 256, 4 layers, f 688
        double weights = 2.0 * (4 * 256 * 256 + 3 * 256 * 688); // per layer per position
        assertThat(Flops.layerWeights(c)).isEqualTo(weights);
        // full pass over 128 positions: each query sees the whole masked 128 x 128 matrix
        assertThat(Flops.backboneForward(c, 128)).isEqualTo(128 * 4 * (weights + 4.0 * 128 * 256));
        // decoding step at position 9 attends 10 keys
        assertThat(Flops.backboneDecodeStep(c, 9)).isEqualTo(4 * (weights + 4.0 * 10 * 256));
        // the mean over positions 10..19 equals the mean of the single steps
        double mean = 0;
        for (int p = 10; p <= 19; p++) {
            mean += Flops.backboneDecodeStep(c, p) / 10;
        }
        assertThat(Flops.meanBackboneDecodeStep(c, 10, 19)).isCloseTo(mean, within(1e-6));
        assertThat(Flops.training(1e9)).isEqualTo(3e9);
    }

    @Test
    void weightFlopsAreTwicePerPositionTheWeightsOfTheLinearLayers() {
        BackboneConfig c = new BackboneConfig(48, 3, 4, 128, 32, 10000);
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            TransformerBackbone bb = new TransformerBackbone(c);
            bb.initialize(m, DataType.FLOAT32, new Shape(1, 4, 48));
            long params = bb.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
            assertThat(params).isEqualTo(Flops.backboneParameters(c));
            long normParams = (2L * 3 + 1) * 48;
            // Kaplan's rule: forward weight FLOPs = 2 x (matrix parameters) per position
            assertThat(c.layers() * Flops.layerWeights(c)).isEqualTo(2.0 * (params - normParams));
        }
    }

    @Test
    void badArgumentsAreRejected() {
        BackboneConfig c = BackboneConfig.tiny();
        assertThatThrownBy(() -> Flops.backboneForward(c, 0)).hasMessageContaining("positions = 0");
        assertThatThrownBy(() -> Flops.backboneDecodeStep(c, -1)).hasMessageContaining("position = -1");
        assertThatThrownBy(() -> Flops.meanBackboneDecodeStep(c, 5, 4)).hasMessageContaining("5..4");
    }
}
