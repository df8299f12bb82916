using OfaBuild.Runtime;

namespace OfaBuild.Core.Space;

/// <summary>Named search spaces: the reference's two ImageNet spaces and a small one for 28x28 grey images.</summary>
public static class Presets
{
    public const string MobileNetV3W10 = "mbv3-w1.0";
    public const string MobileNetV3W12 = "mbv3-w1.2";
    public const string FashionMnist = "mbv3-fmnist";

    public static IReadOnlyList<string> Names { get; } = [MobileNetV3W10, MobileNetV3W12, FashionMnist];

    /// <summary>
    /// Returns the preset, named in any case as device names are (MBV3-FMNIST is mbv3-fmnist, and the space keeps the
    /// preset's spelling); <paramref name="numClasses"/> overrides its class count.
    /// </summary>
    public static SearchSpace Get(string name, int? numClasses = null) =>
        Names.FirstOrDefault(n => n.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase)) switch
        {
            MobileNetV3W10 => Reference(MobileNetV3W10, 1.0, numClasses ?? 1000),
            MobileNetV3W12 => Reference(MobileNetV3W12, 1.2, numClasses ?? 1000),
            FashionMnist => Small(numClasses ?? 10),
            _ => throw new OfaException(
                $"Unknown search space '{name}'. {NameSuggestions.DidYouMean(name, Names)}Known spaces: {string.Join(", ", Names)}."),
        };

    /// <summary>OFAMobileNetV3 (ofa/imagenet_classification/elastic_nn/networks/ofa_mbv3.py).</summary>
    private static SearchSpace Reference(string name, double w, int numClasses)
    {
        int W(int c) => Channels.MakeDivisible(c * w);
        return new SearchSpace
        {
            Name = name,
            InputChannels = 3,
            NumClasses = numClasses,
            WidthMult = w,
            FirstConvWidth = W(16),
            FirstConvStride = 2,
            FirstBlockWidth = W(16),
            Stages =
            [
                new(W(24), 2, Activation.Relu, false),
                new(W(40), 2, Activation.Relu, true),
                new(W(80), 2, Activation.HSwish, false),
                new(W(112), 1, Activation.HSwish, true),
                new(W(160), 2, Activation.HSwish, true),
            ],
            FinalExpandWidth = W(960),
            FeatureMixWidth = W(1280),
            KernelSizes = [3, 5, 7],
            ExpandRatios = [3, 4, 6],
            Depths = [2, 3, 4],
            Resolutions = Enumerable.Range(0, 25).Select(i => 128 + 4 * i).ToArray(),
        };
    }

    /// <summary>
    /// The same design scaled for 28x28 single-channel images (Fashion-MNIST) and for training on 2 CPU
    /// cores in about an hour: stride-2 stem, stage 1 at 7x7, stages 3-5 at 4x4 (overall stride 8).
    /// Sized by measurement: the earlier stride-1 stem with widths 24..96 took about 4x longer per step.
    /// </summary>
    private static SearchSpace Small(int numClasses) => new()
    {
        Name = FashionMnist,
        InputChannels = 1,
        NumClasses = numClasses,
        FirstConvWidth = 16,
        FirstConvStride = 2,
        FirstBlockWidth = 16,
        Stages =
        [
            new(16, 2, Activation.Relu, false),
            new(24, 1, Activation.Relu, true),
            new(32, 2, Activation.HSwish, false),
            new(48, 1, Activation.HSwish, true),
            new(64, 1, Activation.HSwish, true),
        ],
        FinalExpandWidth = 256,
        FeatureMixWidth = 384,
        KernelSizes = [3, 5, 7],
        ExpandRatios = [3, 4, 6],
        Depths = [2, 3, 4],
        Resolutions = [20, 24, 28],
    };
}
