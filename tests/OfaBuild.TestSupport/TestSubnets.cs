using OfaBuild.Core.Extraction;
using OfaBuild.Core.Onnx;
using OfaBuild.Core.Space;

namespace OfaBuild.TestSupport;

/// <summary>Subnets of seeded random supernets (<see cref="RandomSupernet"/>) and seeded random inputs for them.</summary>
public static class TestSubnets
{
    /// <summary>The ONNX model of <paramref name="config"/>, extracted from the random supernet of <paramref name="space"/> with <paramref name="seed"/>.</summary>
    public static byte[] Onnx(SearchSpace space, int seed, SubnetConfig config) =>
        SubnetOnnxExporter.Export(SubnetExtractor.Extract(space, RandomSupernet.Create(space, seed), config));

    /// <summary>An NCHW batch of values uniform in [-1, 1).</summary>
    public static float[] RandomInput(int n, int channels, int resolution, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n * channels * resolution * resolution).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
    }
}
