using OfaBuild.Core.Extraction;
using OfaBuild.Core.Onnx;
using OfaBuild.Core.Space;
using OfaBuild.Core.Tensors;
using OfaBuild.Runtime;

namespace OfaBuild.Runtime.Tests;

/// <summary>A real ONNX subnet of a tiny space with seeded random weights, and the target info describing it.</summary>
internal static class TinyModel
{
    public const int Classes = 4;
    public const int Resolution = 12;
    public static readonly string[] Labels = ["zero", "one", "two", "three"];

    public static SearchSpace Space => Presets.Get(Presets.FashionMnist, Classes) with
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

    private static readonly Lazy<byte[]> LazyOnnx = new(() => Export(k: 5, e: 4, d: 3));

    public static byte[] Onnx => LazyOnnx.Value;

    /// <summary>Another subnet of the same supernet (uniform kernel size, expand ratio and depth), same input and labels.</summary>
    public static byte[] Export(int k, int e, int d, int r = Resolution)
    {
        var space = Space;
        return SubnetOnnxExporter.Export(SubnetExtractor.Extract(space, RandomWeights(space, seed: 5), SubnetConfig.Uniform(space, k, e, d, r)));
    }

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

    public static float[] RandomInput(int samples, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, samples * Resolution * Resolution).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
    }

    private static TensorSet RandomWeights(SearchSpace space, int seed) => RandomSupernet.Create(space, seed);
}
