"""Tutorial chapters 1-5 (see build.py)."""
from nbgen import SETUP, code, exercise, md

CH1 = ("01-tensors-kernel-dsl", "Tensors and devices with DJL; the kernel, the DSL and charts", 30, [
    md(r"""
    # Chapter 1 — Tensors and devices with DJL; the kernel, the DSL and charts

    **Learning goals**
    - run Java in a notebook: every cell is JShell, the value of the last expression is shown;
    - create and combine tensors (`NDArray`) with DJL on the PyTorch engine, read their shapes;
    - know where the computation runs (the *device*) and how native memory is freed;
    - train a first tiny model with the calmnest DSL and look at its loss chart.

    Run the first cell: it imports the DSL, defines the budget knob (`CALMNEST_BUDGET=ci` makes
    every training tiny, for the automatic test) and the `check(..)` helper the exercises use.
    """),
    code(SETUP),
    md(r"""
    ## The engine and the device

    calmnest computes with [DJL](https://djl.ai) on the PyTorch engine. `TorchRuntime` loads the
    native library once (offline) and tells you what it found. `device("auto")` picks a GPU when
    the engine sees one and the CPU otherwise.
    """),
    code("""
    import org.calmnest.lib.runtime.TorchRuntime;
    System.out.println(TorchRuntime.info());
    System.out.println("auto resolves to: " + TorchRuntime.device("auto"));
    """),
    md(r"""
    ## Tensors

    An `NDArray` lives in native memory owned by an `NDManager`. Closing the manager frees every
    array it made — in library code always with `try (var m = ...)`; in this notebook we keep one
    manager `nd` open and close it at the end.

    Matrix multiplication combines shapes as $(n, k) \cdot (k, m) = (n, m)$; element-wise
    operations *broadcast*: a $(3)$ vector is added to every row of a $(2, 3)$ matrix.
    """),
    code("""
    import ai.djl.ndarray.*;
    import ai.djl.ndarray.types.*;
    var nd = TorchRuntime.engine().newBaseManager();
    var a = nd.arange(6f).reshape(2, 3);                   // (2, 3)
    var b = nd.ones(new Shape(3, 4));                     // (3, 4)
    var c = a.matMul(b);                                  // (2, 4)
    var shifted = a.add(nd.create(new float[] {10, 20, 30}));  // (2, 3) + (3) -> (2, 3)
    System.out.println("a = " + Arrays.toString(a.toFloatArray()) + " shape " + a.getShape());
    System.out.println("a @ b has shape " + c.getShape() + ", first row " + Arrays.toString(c.get(0).toFloatArray()));
    System.out.println("a + [10, 20, 30] = " + Arrays.toString(shifted.toFloatArray()));
    """),
    md(r"""
    ### Exercise 1.1 — shapes
    What shape has `nd.ones(new Shape(5, 3)).matMul(nd.ones(new Shape(3, 7)))`? Fill in `rows`
    and `cols`, then run the check cell.
    """),
    exercise("""
    long rows = 0, cols = 0;   // fill in
    """, """
    long rows = 5, cols = 7;
    """),
    code("""
    var actual = nd.ones(new Shape(5, 3)).matMul(nd.ones(new Shape(3, 7))).getShape();
    check("1.1", actual.equals(new Shape(rows, cols)), "an (n, k) matrix times a (k, m) matrix is (n, m)");
    """),
    md(r"""
    ### Exercise 1.2 — a reduction
    Compute $\frac{1}{10}\sum_{i=1}^{10} i^2$ **with DJL**: `nd.arange(1f, 11f)` gives $1..10$;
    `.square()`, `.mean()` and `.getFloat()` do the rest.
    """),
    exercise("""
    float meanOfSquares = 0;   // replace 0 by a DJL expression
    """, """
    float meanOfSquares = nd.arange(1f, 11f).square().mean().getFloat();
    """),
    code("""
    check("1.2", Math.abs(meanOfSquares - 385f / 10) < 1e-4, "1² + 2² + ... + 10² = 385, and there are ten numbers");
    """),
    md(r"""
    ## Charts

    Charts are [XChart](https://knowm.org/open-source/xchart/) objects. When a cell ends with a
    chart, the kernel shows it as a PNG.
    """),
    code("""
    import org.knowm.xchart.*;
    double[] xs = new double[60], ys = new double[60];
    for (int i = 0; i < xs.length; i++) { xs[i] = i / 6.0; ys[i] = Math.sin(xs[i]) * Math.exp(-xs[i] / 5); }
    var chart = new XYChartBuilder().width(640).height(320).title("a damped sine").xAxisTitle("x").yAxisTitle("y").build();
    chart.addSeries("sin(x) exp(-x/5)", xs, ys);
    chart
    """, chart=True),
    md(r"""
    ## The DSL in one line

    `transformer()` is an immutable *spec*: every call such as `.layers(4)` returns a new spec and
    leaves the old one alone. `.train(corpus, budget)` trains it and shows a live progress bar and
    loss chart. The result knows its history, its held-out loss and how to generate text.
    """),
    code("""
    var spec = transformer();
    var deeper = spec.layers(4);
    System.out.println(spec + "\\n" + deeper);
    var tiny = spec.train(europarl("en"), steps(budget(150, 8)));
    tiny
    """),
    code("""
    tiny.history().plot()
    """, chart=True),
    md(r"""
    ### Exercise 1.3 — immutability
    After `var deeper = spec.layers(4)`, how many layers does `spec` have?
    """),
    exercise("""
    int layersOfSpec = 0;   // fill in
    """, """
    int layersOfSpec = 2;
    """),
    code("""
    check("1.3", layersOfSpec == spec.layers(), "a spec never changes; .layers(4) returned a new one");
    """),
    md(r"""
    ## Summary
    - Cells are JShell snippets; the last value is displayed (text, tables, charts as PNG).
    - `NDArray`s live in native memory owned by an `NDManager`; close managers (try-with-resources).
    - Shapes follow $(n, k)(k, m) = (n, m)$, element-wise operations broadcast.
    - DSL specs are immutable; `train(corpus, budget)` shows progress and returns a trained model.
    """),
    code("""
    nd.close();   // frees every array made above
    """),
])

CH2 = ("02-corpora-tokenizers-chunks", "Corpora and tokenizers; chunks of K tokens", 30, [
    md(r"""
    # Chapter 2 — Corpora and tokenizers; chunks of K tokens

    **Learning goals**
    - load the Europarl sample and its train / validation / test splits;
    - turn text into ids with the byte tokenizer and with a BPE trained on the corpus;
    - lay documents out in **chunks of K tokens**, the unit CALM compresses into one vector.
    """),
    code(SETUP),
    md(r"""
    ## The corpus

    The Europarl sample (proceedings of the European Parliament, many languages) ships with the
    project. Documents are split by a fixed rule into train / validation / test.
    """),
    code("""
    var en = europarl("en");
    System.out.println(en.name() + ": " + en.size() + " documents; train " + en.documents(Split.TRAIN).size()
            + ", validation " + en.documents(Split.VALIDATION).size() + ", test " + en.documents(Split.TEST).size());
    var doc = en.documents(Split.TRAIN).get(0);
    doc.substring(0, Math.min(300, doc.length()))
    """),
    code("""
    europarlLanguages()
    """),
    md(r"""
    ## Byte tokens

    The simplest tokenizer maps each UTF-8 **byte** to an id: 256 ids plus four specials (PAD,
    EOS, MASK, BOS). Letters outside ASCII take more than one byte.
    """),
    code("""
    var bytesTok = Tokenizers.bytes();
    int[] ids = bytesTok.encode("Größe");
    System.out.println(Arrays.toString(ids) + " -> \\"" + bytesTok.decode(ids) + "\\", vocabulary " + bytesTok.vocabSize());
    """),
    md("### Exercise 2.1\nHow many byte ids does `\"Größe\"` have? (Count before looking at the output above.)"),
    exercise("""
    int sizeInBytes = 0;   // fill in
    """, """
    int sizeInBytes = 7;
    """),
    code("""
    check("2.1", sizeInBytes == bytesTok.encode("Größe").length, "ö and ß take two bytes each in UTF-8");
    """),
    md(r"""
    ## A BPE trained on the corpus

    Byte-pair encoding starts from bytes and repeatedly merges the most frequent adjacent pair into
    a new id. Fewer ids per text means shorter sequences — but a larger output layer.
    """),
    code("""
    var small = en.limit(200);
    var bpe = Tokenizers.bpe(small, (int) budget(1024, 300));
    var sample = small.documents(Split.TRAIN).get(1);
    int nBytes = bytesTok.encode(sample).length, nBpe = bpe.encode(sample).length;
    System.out.printf("%s: %d byte ids, %d BPE ids (%.2f bytes per BPE id)%n", bpe.name(), nBytes, nBpe, (double) nBytes / nBpe);
    System.out.println("round trip ok: " + bpe.decode(bpe.encode(sample)).equals(sample));
    """),
    md(r"""
    ## Chunks of K tokens

    CALM's autoencoder reads **K tokens at a time**. A document is laid out as its ids, one EOS,
    and PADs up to the next multiple of $K$, so a chunk never straddles two documents:
    $$\text{length} = K \left\lceil \frac{n + 1}{K} \right\rceil .$$
    """),
    code("""
    var chunker = new Chunker(bytesTok, 4);
    int[] laid = chunker.document("Hello");
    System.out.println(Arrays.toString(laid) + "  (EOS = " + bytesTok.eos() + ", PAD = " + bytesTok.pad() + ")");
    """),
    md("### Exercise 2.2\nWrite `chunksOf(n, k)`: the number of chunks of a document with `n` text ids."),
    exercise("""
    int chunksOf(int n, int k) {
        return 0;   // your code
    }
    """, """
    int chunksOf(int n, int k) {
        return (n + 1 + k - 1) / k;   // ceil((n + 1) / k): the ids plus EOS, padded
    }
    """),
    code("""
    boolean allMatch = true;
    for (String s : List.of("a", "abc", "abcd", "Hello world!", doc)) {
        for (int k : new int[] {1, 2, 4, 8}) {
            allMatch &= chunksOf(bytesTok.encode(s).length, k) == new Chunker(bytesTok, k).document(s).length / k;
        }
    }
    check("2.2", allMatch, "a document is its ids plus one EOS, padded up to a multiple of K");
    """),
    md("## How long are the documents?"),
    code("""
    import org.knowm.xchart.*;
    double[] lengths = en.documents(Split.TRAIN).stream().mapToDouble(d -> chunker.document(d).length / 4.0).sorted().toArray();
    double[] rank = new double[lengths.length];
    for (int i = 0; i < rank.length; i++) rank[i] = i;
    var lenChart = new XYChartBuilder().width(640).height(320).title("training documents, sorted by length")
            .xAxisTitle("document (sorted)").yAxisTitle("chunks of K = 4 bytes").build();
    lenChart.getStyler().setYAxisLogarithmic(true);
    lenChart.addSeries("chunks", rank, lengths).setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
    lenChart
    """, chart=True),
    md(r"""
    ## Summary
    - `europarl(lang)` gives a corpus with fixed train / validation / test splits.
    - Byte ids are universal (260 ids); a BPE shortens sequences at the price of a larger vocabulary.
    - Documents become ids + EOS + PAD to a multiple of $K$: $K\lceil (n+1)/K \rceil$ ids, never
      straddling documents.
    """),
])

CH3 = ("03-calm-autoencoder", "The CALM autoencoder; KL clipping and dropouts (ablation)", 40, [
    md(r"""
    # Chapter 3 — The CALM autoencoder

    **Learning goals**
    - follow a chunk of $K$ tokens through the encoder to a Gaussian posterior and back;
    - understand the training objective: reconstruction + a KL term clipped from below, with
      DropToken and DropLatent;
    - run the ablation and *see* why clipping and dropout make the latent space robust.

    ## The model
    The encoder maps the $K$ ids of a chunk to a mean $\mu \in \mathbb{R}^l$ and a log standard
    deviation $\log\sigma \in \mathbb{R}^l$. Training decodes a **sample**
    $$z = \mu + \sigma \odot \varepsilon, \qquad \varepsilon \sim \mathcal N(0, I),$$
    and the decoder predicts the $K$ ids back (its output matrix is the tied token embedding).

    ## The objective
    Per latent dimension the KL divergence to $\mathcal N(0, 1)$ is
    $$\mathrm{kl}_i = \tfrac12\left(\mu_i^2 + \sigma_i^2 - 1\right) - \log \sigma_i ,$$
    and the loss of a chunk is
    $$\mathcal L = K \cdot \mathrm{CE}\big(\mathrm{dec}(z), x\big) + \beta \sum_{i=1}^{l} \max(\mathrm{kl}_i, c)$$
    with $\beta = 10^{-3}$ and free bits $c = 0.5$. Below $c$ a dimension gets **no** KL gradient,
    so the KL term cannot push it all the way to the prior — without clipping many dimensions
    *collapse* (carry no information; 71 of 128 in the paper). DropToken masks 15 % of the input
    ids, DropLatent drops 15 % of $z$: the decoder must cope with imperfect latents, which is what
    the language model will hand it later.
    """),
    code(SETUP),
    md("### Exercise 3.1\nWrite the per-dimension KL divergence `kl(mean, sigma)`."),
    exercise("""
    double kl(double mean, double sigma) {
        return 0;   // your formula
    }
    """, """
    double kl(double mean, double sigma) {
        return 0.5 * (mean * mean + sigma * sigma - 1) - Math.log(sigma);
    }
    """),
    code("""
    check("3.1", Math.abs(kl(1, 1) - 0.5) < 1e-9 && Math.abs(kl(0, 0.5) - (0.5 * (0.25 - 1) + Math.log(2))) < 1e-9 && Math.abs(kl(0, 1)) < 1e-12,
            "0.5 * (mean² + sigma² - 1) - log(sigma); it is 0 exactly at mean 0, sigma 1");
    """),
    md(r"### Exercise 3.2" + "\n" + r"Write the clipped KL sum $\sum_i \max(\mathrm{kl}_i, c)$."),
    exercise("""
    double clippedKl(double[] kls, double clip) {
        return 0;   // your code
    }
    """, """
    double clippedKl(double[] kls, double clip) {
        double s = 0;
        for (double k : kls) s += Math.max(k, clip);
        return s;
    }
    """),
    code("""
    check("3.2", Math.abs(clippedKl(new double[] {0.1, 0.7, 2.0}, 0.5) - 3.2) < 1e-9 && Math.abs(clippedKl(new double[] {0.1, 0.7, 2.0}, 0) - 2.8) < 1e-9,
            "every dimension contributes at least the clip c: sum of max(kl_i, c)");
    """),
    md("## Train the autoencoder\nThe tiny preset ($K = 4$, $l = 32$, byte tokens) with width 96, batches of 128 chunks and learning rate $3\cdot10^{-3}$, which train fast on a CPU."),
    code("""
    var en = europarl("en");
    var aeBudget = steps(budget(1500, 25)).and(minutes(1.5));
    var aeSpec = calm().autoencoder().width(96).batch(128).learningRate(3e-3);   // tuned for a CPU
    var ae = aeSpec.train(en, aeBudget);
    ae
    """),
    code("""
    var d = ae.diagnostics();
    System.out.printf("held-out token accuracy: from the mean %.4f, from a sampled z %.4f; chunks exact %.3f%n",
            d.accuracyFromMean(), d.accuracyFromSample(), d.exactMatch());
    System.out.printf("mean sigma %.3f; collapsed dimensions (mean KL < %.1f): %d of %d%n", d.meanSigma(), d.threshold(), d.collapsedDims(), d.latentDim());
    System.out.println("round trip: \\"" + ae.reconstruct("The Commission proposes a directive.") + "\\"");
    """),
    md("## The ablation: no KL clipping, no dropouts"),
    code("""
    var bare = aeSpec.noKlClip().dropToken(0).dropLatent(0).train(en, aeBudget);
    var b = bare.diagnostics();
    System.out.printf("%-22s accuracy %.4f  collapsed %2d of %d  accuracy with noise std 0.5: %.3f%n", "clip + dropouts", d.accuracyFromMean(), d.collapsedDims(), d.latentDim(), d.noiseAccuracy()[4]);
    System.out.print(String.format("%-22s accuracy %.4f  collapsed %2d of %d  accuracy with noise std 0.5: %.3f%n", "no clip, no dropout", b.accuracyFromMean(), b.collapsedDims(), b.latentDim(), b.noiseAccuracy()[4]));
    """),
    code("""
    import org.knowm.xchart.*;
    var robust = new XYChartBuilder().width(640).height(340).title("robustness: accuracy when noise is added to the latent")
            .xAxisTitle("noise std").yAxisTitle("token accuracy").build();
    robust.addSeries("KL clip + DropToken + DropLatent", d.noiseStd(), d.noiseAccuracy());
    robust.addSeries("no clip, no dropout", b.noiseStd(), b.noiseAccuracy());
    robust
    """, chart=True),
    md(r"""
    At these tiny budgets the numbers are noisy; with more steps (`budget(..)` laptop values or
    `minutes(3)`) the clipped, regularised autoencoder keeps its accuracy under much larger noise,
    which is what makes the latent space *predictable* for the language model.

    ### Exercise 3.3
    Which autoencoder has **more** collapsed dimensions in this run? Write an expression.
    """),
    exercise("""
    String moreCollapsed = "";   // "clipped" or "bare", computed from d and b
    """, """
    String moreCollapsed = b.collapsedDims() > d.collapsedDims() ? "bare" : "clipped";
    """),
    code("""
    check("3.3", moreCollapsed.equals(b.collapsedDims() > d.collapsedDims() ? "bare" : "clipped"),
            "compare d.collapsedDims() with b.collapsedDims() and answer \\"bare\\" or \\"clipped\\"");
    """),
    md(r"""
    ## Summary
    - The encoder outputs $\mu$ and $\log\sigma$; training decodes a sampled $z$.
    - $\mathcal L = K\,\mathrm{CE} + \beta\sum_i\max(\mathrm{kl}_i, c)$: free bits stop collapse.
    - DropToken and DropLatent make the decoder robust to imperfect latents — measured by the
      robustness curve.
    """),
])

CH4 = ("04-energy-score", "Proper scoring rules and the energy score", 45, [
    md(r"""
    # Chapter 4 — Proper scoring rules and the energy score

    **Learning goals**
    - know what a (strictly) proper scoring rule is and why CALM needs one without likelihoods;
    - compute the energy score from samples only;
    - see in a 2-D toy that $\alpha = 1$ is strictly proper and $\alpha = 2$ is not;
    - train CALM's energy head with it.

    ## Scoring a distribution you can only sample
    CALM's head is a *sampler*: noise in, a latent vector out; it has no density. A scoring rule
    $S(P, y)$ rewards a predictive distribution $P$ when the outcome is $y$. It is **proper** if the
    true distribution $Q$ minimises the expected score $\mathbb E_{y\sim Q} S(P, y)$, and **strictly**
    proper if it is the only minimiser. The energy score
    $$S_\alpha(P, y) = \mathbb E\|X - y\|^\alpha - \tfrac12\,\mathbb E\|X - X'\|^\alpha, \qquad X, X' \sim P$$
    is strictly proper for $0 < \alpha < 2$ and needs only samples. With $N$ model samples
    $x_1..x_N$ and $M$ target samples $y_1..y_M$ CALM minimises (twice the score, $\alpha = 1$)
    $$\mathcal L = \frac{2}{NM}\sum_{n,m}\|x_n - y_m\| - \frac{1}{N(N-1)}\sum_{i\ne j}\|x_i - x_j\| .$$
    The first term pulls samples towards the targets, the second keeps them **apart** — without
    it the head would collapse to the mean.
    """),
    code(SETUP),
    code("""
    double dist(double[] a, double[] b, double alpha) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.pow(Math.sqrt(s), alpha);
    }
    """),
    md("### Exercise 4.1\nWrite the energy loss $\\mathcal L$ above for $N$ samples `x` and one target `y` ($M = 1$, $\\alpha = 1$)."),
    exercise("""
    double energyLoss(double[][] x, double[] y) {
        return 0;   // your code; dist(a, b, 1) is the Euclidean distance
    }
    """, """
    double energyLoss(double[][] x, double[] y) {
        int n = x.length;
        double fit = 0, spread = 0;
        for (double[] xi : x) fit += dist(xi, y, 1);
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) if (i != j) spread += dist(x[i], x[j], 1);
        return 2 * fit / n - spread / (n * (n - 1.0));
    }
    """),
    md("The check compares your function with a hand value and with the library's DJL implementation `EnergyScoreLoss` on random data."),
    code("""
    import ai.djl.ndarray.types.Shape;
    import org.calmnest.lib.calm.EnergyScoreLoss;
    import org.calmnest.lib.runtime.TorchRuntime;
    var rng = new Random(1);
    double[][] xr = new double[8][3];
    double[] yr = new double[3];
    float[] xflat = new float[24], yflat = new float[3];
    for (int i = 0; i < 8; i++) for (int j = 0; j < 3; j++) { xr[i][j] = (float) rng.nextGaussian(); xflat[i * 3 + j] = (float) xr[i][j]; }
    for (int j = 0; j < 3; j++) { yr[j] = (float) rng.nextGaussian(); yflat[j] = (float) yr[j]; }
    double libValue;
    try (var m = TorchRuntime.engine().newBaseManager()) {
        libValue = EnergyScoreLoss.of(8, 1).loss(m.create(xflat, new Shape(8, 1, 3)), m.create(yflat, new Shape(1, 1, 3))).getFloat();
    }
    double hand = energyLoss(new double[][] {{1, 0}, {0, 1}}, new double[] {1, 1});
    System.out.printf("library %.5f, yours %.5f%n", libValue, energyLoss(xr, yr));
    check("4.1", Math.abs(hand - (2 - Math.sqrt(2))) < 1e-9 && Math.abs(energyLoss(xr, yr) - libValue) < 1e-3,
            "2 * mean distance to y, minus the sum over ordered pairs i != j of |x_i - x_j| divided by N(N-1)");
    """),
    md(r"""
    ## A 2-D toy you can see
    The truth is $Q = \mathcal N\big((1, 2), I\big)$. We score candidates $P = \mathcal N\big((m, 2), s^2 I\big)$
    by the expected loss over many outcomes $y \sim Q$ (Monte Carlo with common random numbers,
    $N = 8$ samples per outcome).
    """),
    code("""
    double expectedLoss(double m, double s, double alpha) {
        var r = new Random(7);   // the same noise for every candidate: smooth curves
        int outcomes = (int) budget(1500, 400), n = 8;
        double total = 0;
        for (int t = 0; t < outcomes; t++) {
            double[] y = {1 + r.nextGaussian(), 2 + r.nextGaussian()};
            double[][] x = new double[n][];
            for (int i = 0; i < n; i++) x[i] = new double[] {m + s * r.nextGaussian(), 2 + s * r.nextGaussian()};
            double fit = 0, spread = 0;
            for (double[] xi : x) fit += dist(xi, y, alpha);
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) if (i != j) spread += dist(x[i], x[j], alpha);
            total += 2 * fit / n - spread / (n * (n - 1.0));
        }
        return total / outcomes;
    }
    double[] ms = new double[17], byMean = new double[17];
    for (int i = 0; i < ms.length; i++) { ms[i] = -1 + 0.25 * i; byMean[i] = expectedLoss(ms[i], 1, 1); }
    double[] ss = new double[12], alpha1 = new double[12], alpha2 = new double[12];
    for (int i = 0; i < ss.length; i++) { ss[i] = 0.25 * (i + 1); alpha1[i] = expectedLoss(1, ss[i], 1); alpha2[i] = expectedLoss(1, ss[i], 2); }
    int bestM = 0, bestS = 0;
    for (int i = 1; i < ms.length; i++) if (byMean[i] < byMean[bestM]) bestM = i;
    for (int i = 1; i < ss.length; i++) if (alpha1[i] < alpha1[bestS]) bestS = i;
    System.out.printf("alpha = 1: best mean m = %.2f (truth 1), best std s = %.2f (truth 1)%n", ms[bestM], ss[bestS]);
    System.out.print(String.format("alpha = 2: loss over s ranges from %.3f to %.3f (flat: every s scores the same)%n",
            Arrays.stream(alpha2).min().getAsDouble(), Arrays.stream(alpha2).max().getAsDouble()));
    """),
    code("""
    import org.knowm.xchart.*;
    var toy = new XYChartBuilder().width(680).height(340).title("expected energy loss of N((1, 2), s² I) against the truth N((1, 2), I)")
            .xAxisTitle("candidate std s").yAxisTitle("expected loss").build();
    toy.addSeries("alpha = 1 (strictly proper)", ss, alpha1);
    toy.addSeries("alpha = 2 (not strictly proper)", ss, alpha2);
    toy
    """, chart=True),
    md("### Exercise 4.2\nRead the chart: which candidate std `s` minimises the $\\alpha = 1$ loss? (within 0.3)"),
    exercise("""
    double bestSigma = 0;   // fill in
    """, """
    double bestSigma = 1.0;
    """),
    code("""
    check("4.2", Math.abs(bestSigma - ss[bestS]) <= 0.3, "a strictly proper score is minimised by the true distribution");
    """),
    md(r"""
    ## The energy head
    In CALM the samples $x_n$ come from the **energy head**: uniform noise and the backbone state
    $h$ go through a few residual MLP blocks to a latent vector; the targets $y_m$ are drawn from
    the frozen autoencoder's posterior of the next chunk. Train a tiny CALM and watch the energy
    loss fall.
    """),
    code("""
    var en = europarl("en");
    var ae = calm().autoencoder().width(96).batch(128).learningRate(3e-3).train(en, steps(budget(1500, 10)).and(minutes(1.5)));
    var lm = calm().autoencoder(ae).energySamples(4).train(en, steps(budget(300, 6)).and(minutes(2)));
    System.out.printf("energy loss: first step %.3f, last step %.3f%n", lm.history().steps().get(0).loss(), lm.history().lastLoss());
    lm.history().plot()
    """, chart=True),
    md(r"""
    ## Summary
    - A strictly proper score is minimised only by the truth; the energy score is one that needs
      samples only (for $0 < \alpha < 2$).
    - CALM's loss: $2\,\overline{\|x - y\|} - \overline{\|x_i - x_j\|}_{i\ne j}$; the second term
      keeps samples diverse.
    - $\alpha = 2$ only sees the mean: the variance is free — not strictly proper.
    """),
])

CH5 = ("05-brierlm", "BrierLM: likelihood-free evaluation", 40, [
    md(r"""
    # Chapter 5 — BrierLM: likelihood-free evaluation

    **Learning goals**
    - the Brier score and its unbiased two-sample estimate;
    - BrierLM = geometric mean of Brier-1..4;
    - check on a real training run that BrierLM tracks cross-entropy (the paper: Pearson $-0.966$).

    ## From a distribution to two samples
    For a predictive distribution $P$ and outcome $y$
    $$\mathrm{Brier}(P, y) = 2P(y) - \sum_x P(x)^2 .$$
    CALM cannot evaluate $P(y)$, but two independent samples $x_1, x_2 \sim P$ give an unbiased
    estimate, because $\mathbb E\,\mathbb 1[x_1 = y] = P(y)$ and $\mathbb E\,\mathbb 1[x_1 = x_2] = \sum_x P(x)^2$:
    $$\widehat{\mathrm{Brier}} = \mathbb 1[x_1 = y] + \mathbb 1[x_2 = y] - \mathbb 1[x_1 = x_2] .$$
    Brier-$n$ treats the next $n$ tokens as one outcome, and
    $$\mathrm{BrierLM} = 100\,\big(\mathrm{Brier}_1\,\mathrm{Brier}_2\,\mathrm{Brier}_3\,\mathrm{Brier}_4\big)^{1/4} .$$
    """),
    code(SETUP),
    md("### Exercise 5.1\nWrite the two-sample estimate."),
    exercise("""
    int brierEstimate(int y, int x1, int x2) {
        return 0;   // your code
    }
    """, """
    int brierEstimate(int y, int x1, int x2) {
        return (x1 == y ? 1 : 0) + (x2 == y ? 1 : 0) - (x1 == x2 ? 1 : 0);
    }
    """),
    code("""
    check("5.1", brierEstimate(3, 3, 3) == 1 && brierEstimate(3, 3, 1) == 1 && brierEstimate(3, 1, 1) == -1 && brierEstimate(3, 1, 2) == 0,
            "1[x1 = y] + 1[x2 = y] - 1[x1 = x2]");
    """),
    md("Unbiased means: averaged over many sample pairs it converges to the exact score."),
    code("""
    import org.calmnest.lib.eval.BrierLm;
    double[] p = {0.6, 0.3, 0.1};
    var rng = new Random(5);
    java.util.function.IntSupplier draw = () -> { double u = rng.nextDouble(); return u < 0.6 ? 0 : u < 0.9 ? 1 : 2; };
    long pairs = budget(200_000, 20_000);
    double sum = 0;
    for (long i = 0; i < pairs; i++) sum += brierEstimate(0, draw.getAsInt(), draw.getAsInt());
    System.out.print(String.format("exact Brier(P, y=0) = %.4f, mean of %d two-sample estimates = %.4f%n", BrierLm.exact(p, 0), pairs, sum / pairs));
    """),
    md(r"""
    ## BrierLM against cross-entropy across checkpoints
    We train the Transformer baseline in short stages and, after each stage, measure the held-out
    cross-entropy and BrierLM (sampled, as for CALM).

    ### Exercise 5.2
    Write Pearson's correlation $r = \frac{\sum (a_i - \bar a)(b_i - \bar b)}{\sqrt{\sum (a_i - \bar a)^2 \sum (b_i - \bar b)^2}}$.
    """),
    exercise("""
    double pearson(double[] a, double[] b) {
        return 0;   // your code
    }
    """, """
    double pearson(double[] a, double[] b) {
        double ma = Arrays.stream(a).average().orElse(0), mb = Arrays.stream(b).average().orElse(0);
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }
    """),
    code("""
    check("5.2", Math.abs(pearson(new double[] {1, 2, 3}, new double[] {2, 4, 6}) - 1) < 1e-9
            && Math.abs(pearson(new double[] {1, 2, 3, 4}, new double[] {1, 3, 2, 4}) - 0.8) < 1e-9,
            "centre both series, then covariance / sqrt(variance a * variance b)");
    """),
    code("""
    var en = europarl("en");
    var stage = steps(budget(40, 4));
    var base = transformer().evalStride((int) budget(4, 16)).train(en, stage);   // BrierLM n-grams start every 4 tokens (16 in CI)
    int checkpoints = (int) budget(7, 3);
    double[] ce = new double[checkpoints], brier = new double[checkpoints];
    for (int i = 0; i < checkpoints; i++) {
        if (i > 0) base.train(stage);
        ce[i] = base.evaluate().loss();
        brier[i] = base.brierLM().brierLM();
        System.out.printf("step %4d: held-out cross-entropy %.3f, BrierLM %.2f%n", base.history().stepCount(), ce[i], brier[i]);
    }
    System.out.print(String.format("Pearson r(cross-entropy, BrierLM) = %.3f over %d checkpoints (paper: -0.966)%n", pearson(ce, brier), checkpoints));
    """),
    code("""
    import org.knowm.xchart.*;
    var agree = new XYChartBuilder().width(640).height(340).title("BrierLM against held-out cross-entropy, one point per checkpoint")
            .xAxisTitle("held-out cross-entropy").yAxisTitle("BrierLM").build();
    agree.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    agree.addSeries("Transformer checkpoints", ce, brier);
    agree
    """, chart=True),
    md(r"""
    With more checkpoints and longer training the points line up more tightly; at a few seconds
    per stage expect noise, in particular for the sampled Brier-3 and Brier-4 which are tiny for an
    almost untrained model.

    ## Summary
    - $\widehat{\mathrm{Brier}} = \mathbb 1[x_1=y] + \mathbb 1[x_2=y] - \mathbb 1[x_1=x_2]$ is unbiased and needs
      only samples — so CALM and a Transformer are scored the same way.
    - BrierLM is $100\times$ the geometric mean of Brier-1..4 (higher is better).
    - It moves opposite to cross-entropy across checkpoints.
    """),
])

CHAPTERS_A = [CH1, CH2, CH3, CH4, CH5]
