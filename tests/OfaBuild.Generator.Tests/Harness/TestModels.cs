using OfaBuild.Contracts;
using OfaBuild.Core.Space;
using OfaBuild.Core.Specialization;

namespace OfaBuild.Generator.Tests.Harness;

/// <summary>A real ONNX subnet of <see cref="TestSpaces.ForInference"/> and its manifest, written with the contract's TargetManifest as `ofa specialize` does.</summary>
public static class TestModels
{
    public const int Resolution = 12;
    public static readonly string[] Labels = ["circle", "square", "triangle", "star"];

    public static SearchSpace Space { get; } = TestSpaces.ForInference(Labels.Length);

    public static SubnetConfig Config => SubnetConfig.Uniform(Space, k: 3, e: 4, d: 2, r: Resolution);

    private static readonly Lazy<byte[]> LazyOnnx = new(() => TestSubnets.Onnx(Space, seed: 11, Config));
    public static byte[] Onnx => LazyOnnx.Value;

    public static TargetManifest Manifest(string target, string[] rids, double budget, string[]? armParts = null, string[]? x86 = null) => new()
    {
        Target = target,
        RuntimeIdentifiers = rids,
        Recognition = new TargetRecognition { ArmCpuParts = armParts ?? [], X86Features = x86 ?? [] },
        TableKind = "estimated",
        LatencyBudgetMs = budget,
        Config = Config.ToManifest(),
        PredictedLatencyMs = budget * 0.8,
        PredictedAccuracy = 0.875,
        AccuracyModel = "predictor",
        CalibrationImages = 0,
        Seed = 0,
        Macs = 123456,
        Params = 23456,
        Input = new ManifestInput { Channels = 1, Resolution = Resolution, Mean = [0.286], Std = [0.353] },
        Labels = Labels,
        Onnx = target + ".onnx",
        OnnxSha256 = new string('a', 64),
        SupernetSha256 = new string('c', 64),
        ToolVersion = "0.1.0",
    };

    /// <summary>A smaller subnet of the same supernet at the same resolution: an adaptive target's lower rung.</summary>
    public static SubnetConfig SmallConfig => SubnetConfig.Uniform(Space, k: 3, e: 3, d: 2, r: Resolution);

    private static readonly Lazy<byte[]> LazySmallOnnx = new(() => TestSubnets.Onnx(Space, seed: 11, SmallConfig));
    public static byte[] SmallOnnx => LazySmallOnnx.Value;

    /// <summary><see cref="Manifest"/> with a ladder of one lower rung (<see cref="SmallConfig"/>, file TARGET.rung1.onnx).</summary>
    public static TargetManifest AdaptiveManifest(string target, string[] rids, double budget) => Manifest(target, rids, budget) with
    {
        Ladder =
        [
            new ManifestRung
            {
                Config = SmallConfig.ToManifest(), PredictedLatencyMs = budget * 0.5, PredictedAccuracy = 0.85,
                Macs = 45678, Params = 12345, Onnx = target + ".rung1.onnx", OnnxSha256 = new string('b', 64),
            },
        ],
    };

    public static float[] RandomInput(int samples, int seed) => TestSubnets.RandomInput(samples, 1, Resolution, seed);

    /// <summary>Softmax of <paramref name="onnx"/>'s logits for <paramref name="count"/> images run in ONNX Runtime: what a wrapper's scores must equal.</summary>
    public static float[] OrtSoftmax(byte[] onnx, float[] input, int count = 1)
    {
        using var runner = new OfaBuild.Core.Onnx.OnnxModelRunner(onnx);
        var logits = runner.RunFirst(input, [count, 1, Resolution, Resolution]);
        int n = logits.Length / count;
        var result = new float[logits.Length];
        for (int s = 0; s < count; s++)
        {
            double max = logits.Skip(s * n).Take(n).Max();
            double sum = Enumerable.Range(0, n).Sum(j => Math.Exp(logits[s * n + j] - max));
            for (int j = 0; j < n; j++) result[s * n + j] = (float)(Math.Exp(logits[s * n + j] - max) / sum);
        }
        return result;
    }
}
