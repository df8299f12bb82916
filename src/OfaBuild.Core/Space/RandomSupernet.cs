using OfaBuild.Core.Tensors;

namespace OfaBuild.Core.Space;

/// <summary>
/// Seeded random supernet weights for a space: for latency profiling, benchmarks and tests, where
/// shapes matter and values only need to be sane (BN variances positive, transforms near identity).
/// </summary>
public static class RandomSupernet
{
    public static TensorSet Create(SearchSpace space, int seed)
    {
        var rng = new Random(seed);
        var set = new TensorSet($"random supernet (seed {seed})");
        foreach (var (name, shape) in SupernetLayout.Tensors(space))
        {
            var data = new float[Tensor.CountElements(shape)];
            if (name.EndsWith("_matrix", StringComparison.Ordinal))
            {
                int n = shape[0];
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++)
                        data[i * n + j] = (i == j ? 1f : 0f) + (float)(rng.NextDouble() - 0.5) * 0.1f;
            }
            else
            {
                bool positive = name.EndsWith("running_var", StringComparison.Ordinal) || name.EndsWith("bn.weight", StringComparison.Ordinal);
                float fanIn = shape.Length == 4 ? shape[1] * shape[2] * shape[3] : shape.Length == 2 ? shape[1] : 1;
                double bound = Math.Sqrt(3.0 / fanIn);
                for (int i = 0; i < data.Length; i++)
                {
                    double u = rng.NextDouble();
                    data[i] = positive ? (float)(0.5 + u) : (float)((u - 0.5) * 2 * bound);
                }
            }
            set.Add(name, Tensor.FromFloats(shape, data));
        }
        return set;
    }
}
