using OfaBuild.Core.Space;
using OfaBuild.Core.Tensors;

namespace OfaBuild.Core.Tests;

/// <summary>Seeded random supernets of a space (BN variances positive, transforms near identity).</summary>
internal static class TestSupernets
{
    /// <summary>A small 5-stage space: fast to export and run in tests.</summary>
    public static SearchSpace Tiny(int classes = 4) => Presets.Get(Presets.FashionMnist, classes) with
    {
        Name = "tiny",
        // Pinned: the preset's stem became stride 2, which leaves BN statistics over too few pixels at 12x12.
        FirstConvStride = 1,
        FirstConvWidth = 8,
        FirstBlockWidth = 8,
        Stages = [new(8, 2, Activation.Relu, false), new(16, 1, Activation.Relu, true), new(16, 2, Activation.HSwish, false),
                  new(24, 1, Activation.HSwish, true), new(24, 2, Activation.HSwish, true)],
        FinalExpandWidth = 32,
        FeatureMixWidth = 48,
        Resolutions = [12, 16],
    };

    public static TensorSet Random(SearchSpace space, int seed) => RandomSupernet.Create(space, seed);

    public static float[] RandomInput(int n, int c, int r, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n * c * r * r).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
    }
}
