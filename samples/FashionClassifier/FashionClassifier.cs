using OfaBuild;

namespace FashionApp;

/// <summary>
/// One supernet, three devices. At build time OfaBuild searches the supernet for the most accurate subnet
/// within each budget (on each device's latency table), exports it to ONNX and embeds it; this partial class
/// gets Create(), Predict(...) and Info from the source generator.
/// </summary>
[OfaModel("../models/fashion-mnist.ofa")]
[OfaTarget("cortex-a53", LatencyMs = 4)]     // Raspberry Pi 3
[OfaTarget("cortex-a76", LatencyMs = 1)]     // Raspberry Pi 5
[OfaTarget("x64-avx2", LatencyMs = 0.5)]
public partial class FashionClassifier;
