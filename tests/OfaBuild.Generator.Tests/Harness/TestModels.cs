using OfaBuild.Contracts;
using OfaBuild.Core.Extraction;
using OfaBuild.Core.Onnx;
using OfaBuild.Core.Space;
using OfaBuild.Core.Specialization;
using OfaBuild.Core.Tensors;

namespace OfaBuild.Generator.Tests.Harness;

/// <summary>A real tiny ONNX subnet and its manifest, written with the contract's TargetManifest as `ofa specialize` does.</summary>
public static class TestModels
{
    public const int Resolution = 12;
    public static readonly string[] Labels = ["circle", "square", "triangle", "star"];

    public static SearchSpace Space => Presets.Get(Presets.FashionMnist, Labels.Length) with
    {
        Name = "tiny",
        FirstConvWidth = 8,
        FirstBlockWidth = 8,
        Stages = [new(8, 2, Activation.Relu, false), new(16, 1, Activation.Relu, true), new(16, 2, Activation.HSwish, false),
                  new(24, 1, Activation.HSwish, true), new(24, 2, Activation.HSwish, true)],
        FinalExpandWidth = 32,
        FeatureMixWidth = 48,
        Resolutions = [Resolution, 16],
    };

    public static SubnetConfig Config => SubnetConfig.Uniform(Space, k: 3, e: 4, d: 2, r: Resolution);

    private static readonly Lazy<byte[]> LazyOnnx = new(() => SubnetOnnxExporter.Export(SubnetExtractor.Extract(Space, Weights(seed: 11), Config)));
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

    private static readonly Lazy<byte[]> LazySmallOnnx = new(() => SubnetOnnxExporter.Export(SubnetExtractor.Extract(Space, Weights(seed: 11), SmallConfig)));
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

    public static float[] RandomInput(int samples, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, samples * Resolution * Resolution).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
    }

    private static TensorSet Weights(int seed) => RandomSupernet.Create(Space, seed);
}
