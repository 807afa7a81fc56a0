package org.calmnest.lib.calm;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.*;
import org.junit.jupiter.api.Test;

class ProbeTest {
    @Test
    void probe() {
        System.setProperty("ai.djl.pytorch.num_threads", "1"); System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        try (TableCodec codec = new TableCodec(2, 4, 12, 0.2f, 1);
             CalmModel model = CalmModel.create(CalmConfig.tiny(2, 8, 12), codec, 7)) {
            BatchSource data = CalmModelTest.periodic(8, 16, 10);
            TrainBatch b = data.validation().get(0);
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                try (NDManager m = TorchRuntime.engine().newBaseManager()) {
                    for (int j = 0; j < 10; j++) model.loss(m, b, false).getFloat();
                }
                System.out.println("10 fwd ms " + (System.nanoTime() - t0) / 1e6);
            }
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                for (int j = 0; j < 5; j++) {
                    try (NDManager m = TorchRuntime.engine().newBaseManager();
                         ai.djl.training.GradientCollector gc = TorchRuntime.engine().newGradientCollector()) {
                        gc.backward(model.loss(m, b, true));
                    }
                }
                System.out.println("5 fwd+bwd ms " + (System.nanoTime() - t0) / 1e6);
            }
            try (Trainer t = new Trainer(model, TrainConfig.defaults(20).withLearningRate(3e-3))) {
                long t0 = System.nanoTime();
                t.run(data, List.of(), null);
                System.out.println("20 steps ms " + (System.nanoTime() - t0) / 1e6);
            }
            System.out.println(TorchRuntime.info());
        }
    }
}
