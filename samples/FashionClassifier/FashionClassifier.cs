using OfaBuild;

namespace FashionApp;

/// <summary>
/// One supernet, three devices. At build time OfaBuild searches the supernet for the most accurate subnet
/// within each budget (on each device's latency table), exports it to ONNX and embeds it; this partial class
/// gets Create(), Predict(...) and Info from the source generator. The budgets lie inside each device's latency range,
/// where the three tables, which rank the blocks differently, lead to three different subnets (README).
/// </summary>
[OfaModel("../models/fashion-mnist.ofa")]
[OfaTarget("cortex-a53", LatencyMs = 2)]     // Raspberry Pi 3
[OfaTarget("cortex-a76", LatencyMs = 0.6)]   // Raspberry Pi 5
[OfaTarget("x64-avx2", LatencyMs = 0.4)]
public partial class FashionClassifier;
