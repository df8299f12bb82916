using OfaBuild.Core.Space;

namespace OfaBuild.TestSupport;

/// <summary>
/// The small search spaces of the tests, one per purpose. Each is as small as its purpose allows, so a subnet
/// extracts, exports and runs in milliseconds; change one only with the tests that name it.
/// </summary>
public static class TestSpaces
{
    /// <summary>
    /// Extraction, ONNX export, BN recalibration, quantisation, and the measurement and predictor-refinement tests
    /// that run its subnets (Core tests). The stem is pinned at stride 1:
    /// the preset's stride-2 stem leaves BN statistics over too few pixels at 12x12.
    /// </summary>
    public static SearchSpace ForExport(int classes = 4) => FiveStages("export-test", classes) with { FirstConvStride = 1 };

    /// <summary>A real ONNX subnet at 12x12 that the runtime and the generated wrappers run (Runtime and Generator tests).</summary>
    public static SearchSpace ForInference(int classes = 4) => FiveStages("inference-test", classes);

    /// <summary>
    /// TorchSharp training on 16x16 synthetic images (Training tests); the last stage keeps stride 1, so the
    /// final feature map stays 2x2 at 16x16.
    /// </summary>
    public static SearchSpace ForTraining(int classes = 4)
    {
        var space = FiveStages("training-test", classes);
        return space with { Stages = [.. space.Stages.SkipLast(1), space.Stages[^1] with { Stride = 1 }] };
    }

    /// <summary>
    /// The space a consumer project's build specialises (end-to-end tests): every build specialises in about a
    /// second, at 24x24 and 28x28 with the preset's full kernel, expand and depth choices.
    /// </summary>
    public static SearchSpace ForBuild { get; } = FiveStages("e2e-small", classes: 4) with
    {
        FinalExpandWidth = 48,
        FeatureMixWidth = 64,
        Resolutions = [24, 28],
    };

    /// <summary>
    /// Package reading and writing (Core tests): two stages and two choices of each, for small files and quick checks.
    /// Its name, "tiny", is in the messages the package and latency-table tests expect.
    /// </summary>
    public static SearchSpace ForPackage() => new()
    {
        Name = "tiny",
        InputChannels = 1,
        NumClasses = 3,
        FirstConvWidth = 8,
        FirstConvStride = 1,
        FirstBlockWidth = 8,
        Stages = [new(8, 1, Activation.Relu, false), new(16, 2, Activation.HSwish, true)],
        FinalExpandWidth = 24,
        FeatureMixWidth = 32,
        KernelSizes = [3, 5],
        ExpandRatios = [2, 3],
        Depths = [1, 2],
        Resolutions = [12, 16],
    };

    /// <summary>One stage at one resolution of <see cref="ForPackage"/>: small enough to write its latency table by hand (LatencyTableTests).</summary>
    public static SearchSpace ForHandWrittenTable() => ForPackage() with
    {
        FirstConvStride = 2,
        Stages = [new(16, 2, Activation.HSwish, true)],
        FinalExpandWidth = 32,
        FeatureMixWidth = 64,
        ExpandRatios = [3],
        Resolutions = [16],
    };

    /// <summary>The Fashion-MNIST preset's five stages and choices, narrowed to widths 8-48 at 12x12 and 16x16.</summary>
    private static SearchSpace FiveStages(string name, int classes) => Presets.Get(Presets.FashionMnist, classes) with
    {
        Name = name,
        FirstConvWidth = 8,
        FirstBlockWidth = 8,
        Stages = [new(8, 2, Activation.Relu, false), new(16, 1, Activation.Relu, true), new(16, 2, Activation.HSwish, false),
                  new(24, 1, Activation.HSwish, true), new(24, 2, Activation.HSwish, true)],
        FinalExpandWidth = 32,
        FeatureMixWidth = 48,
        Resolutions = [12, 16],
    };
}
