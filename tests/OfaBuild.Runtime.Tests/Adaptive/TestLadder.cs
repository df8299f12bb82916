namespace OfaBuild.Runtime.Tests.Adaptive;

/// <summary>Three real subnets of the test supernet, ever smaller, with distinct outputs: a ladder to run.</summary>
internal static class TestLadder
{
    private static readonly Lazy<byte[][]> Models = new(() => [TestModel.Onnx, TestModel.Export(k: 5, e: 3, d: 2), TestModel.Export(k: 3, e: 3, d: 2)]);

    public static readonly (double LatencyMs, double Accuracy)[] Predicted = [(0.5, 0.9), (0.35, 0.88), (0.25, 0.85)];

    public static OfaTargetInfo Info(int rung) => TestModel.Info($"host-{rung}") with
    {
        PredictedLatencyMs = Predicted[rung].LatencyMs,
        PredictedAccuracy = Predicted[rung].Accuracy,
    };

    public static OfaModelSession Session(int rung, TimeProvider? clock = null) =>
        new("Tests.Tiny", Info(rung), () => Models.Value[rung], clock: clock);

    public static AdaptiveSession Open(double budgetMs, TimeProvider? clock = null, GovernorOptions? options = null) =>
        new([Session(0, clock), Session(1, clock), Session(2, clock)], budgetMs, options);
}
