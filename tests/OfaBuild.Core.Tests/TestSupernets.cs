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
        FirstConvWidth = 8,
        FirstBlockWidth = 8,
        Stages = [new(8, 2, Activation.Relu, false), new(16, 1, Activation.Relu, true), new(16, 2, Activation.HSwish, false),
                  new(24, 1, Activation.HSwish, true), new(24, 2, Activation.HSwish, true)],
        FinalExpandWidth = 32,
        FeatureMixWidth = 48,
        Resolutions = [12, 16],
    };

    public static TensorSet Random(SearchSpace space, int seed)
    {
        var rng = new Random(seed);
        var set = new TensorSet($"random supernet {seed}");
        foreach (var (name, shape) in SupernetLayout.Tensors(space))
        {
            var data = new float[Tensor.CountElements(shape)];
            if (name.EndsWith("_matrix"))
            {
                int n = shape[0];
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++)
                        data[i * n + j] = (i == j ? 1f : 0f) + (float)(rng.NextDouble() - 0.5) * 0.1f;
            }
            else
            {
                float fanIn = shape.Length == 4 ? shape[1] * shape[2] * shape[3] : shape.Length == 2 ? shape[1] : 1;
                for (int i = 0; i < data.Length; i++)
                {
                    double u = rng.NextDouble();
                    data[i] = name.EndsWith("running_var") ? (float)(0.5 + u)
                        : name.EndsWith("bn.weight") ? (float)(0.5 + u)
                        : (float)((u - 0.5) * 2 * Math.Sqrt(3.0 / fanIn));
                }
            }
            set.Add(name, Tensor.FromFloats(shape, data));
        }
        return set;
    }

    public static float[] RandomInput(int n, int c, int r, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n * c * r * r).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
    }
}
