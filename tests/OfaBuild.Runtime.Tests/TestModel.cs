using OfaBuild.Core.Space;

namespace OfaBuild.Runtime.Tests;

/// <summary>A real ONNX subnet of <see cref="TestSpaces.ForInference"/> with seeded random weights, and the target info describing it.</summary>
internal static class TestModel
{
    public const int Classes = 4;
    public const int Resolution = 12;
    public static readonly string[] Labels = ["zero", "one", "two", "three"];

    public static SearchSpace Space { get; } = TestSpaces.ForInference(Classes);

    private static readonly Lazy<byte[]> LazyOnnx = new(() => Export(k: 5, e: 4, d: 3));

    public static byte[] Onnx => LazyOnnx.Value;

    /// <summary>Another subnet of the same supernet (uniform kernel size, expand ratio and depth), same input and labels.</summary>
    public static byte[] Export(int k, int e, int d, int r = Resolution) => TestSubnets.Onnx(Space, seed: 5, SubnetConfig.Uniform(Space, k, e, d, r));

    public static OfaTargetInfo Info(string target = "host") => new()
    {
        Target = target,
        ResourceName = $"OfaBuild/Tests.Tiny/{target}.onnx",
        RuntimeIdentifiers = ["linux-x64"],
        TableKind = "estimated",
        ConfigJson = "{}",
        LatencyBudgetMs = 1,
        PredictedLatencyMs = 0.5,
        Macs = 1,
        Params = 1,
        Input = new() { Channels = 1, Resolution = Resolution, Mean = [0.5], Std = [0.25] },
        Labels = Labels,
    };

    public static float[] RandomInput(int samples, int seed) => TestSubnets.RandomInput(samples, 1, Resolution, seed);
}
