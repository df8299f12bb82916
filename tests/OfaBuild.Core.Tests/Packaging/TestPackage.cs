namespace OfaBuild.Core.Tests.Packaging;

/// <summary>A package over <see cref="TestSpaces.ForPackage"/> with seeded random weights, for package tests.</summary>
internal static class TestPackage
{
    public static TensorSet Weights(SearchSpace space, int seed)
    {
        var rng = new Random(seed);
        var set = new TensorSet("weights");
        foreach (var (name, shape) in SupernetLayout.Tensors(space))
        {
            var data = new float[Tensor.CountElements(shape)];
            for (int i = 0; i < data.Length; i++) data[i] = (float)(rng.NextDouble() * 2 - 1);
            set.Add(name, Tensor.FromFloats(shape, data));
        }
        return set;
    }

    public static TensorSet Predictor(int seed)
    {
        var rng = new Random(seed);
        float[] Values(int n) => Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble()).ToArray();
        var set = new TensorSet("predictor");
        set.Add("layers.0.weight", Tensor.FromFloats([4, 6], Values(24)));
        set.Add("layers.0.bias", Tensor.FromFloats([4], Values(4)));
        return set;
    }

    public static TensorSet Calibration(int n, int channels, int seed)
    {
        var rng = new Random(seed);
        var pixels = new byte[n * channels * 4 * 4];
        rng.NextBytes(pixels);
        var labels = Enumerable.Range(0, n).Select(i => (long)(i % 3)).ToArray();
        var set = new TensorSet("calibration");
        set.Add(OfaPackage.CalibrationImages, Tensor.FromBytes(DType.U8, [n, channels, 4, 4], pixels));
        set.Add(OfaPackage.CalibrationLabels, Tensor.FromBytes(DType.I64, [n],
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(labels.AsSpan())));
        return set;
    }

    public static OfaManifest Manifest(SearchSpace space, bool withExtras = true) => new()
    {
        Space = space,
        Normalization = new InputNormalization([0.286], [0.353]),
        Labels = ["shirt", "shoe", "bag"],
        Provenance = new Provenance { Source = "unit test", CommandLine = "ofa test --seed 1", ToolVersion = "0.1.0" },
        Predictor = withExtras ? new PredictorInfo { Kind = "mlp", Encoding = "ofa-onehot-v1", HiddenSizes = [4], Rmse = 0.012, Spearman = 0.9 } : null,
        Calibration = withExtras ? new CalibrationInfo { Count = 5, Source = "random" } : null,
    };

    public static OfaPackage Create(int seed = 1, bool withExtras = true)
    {
        var space = TestSpaces.ForPackage();
        return new OfaPackage(Manifest(space, withExtras), Weights(space, seed),
            withExtras ? Predictor(seed) : null, withExtras ? Calibration(5, space.InputChannels, seed) : null);
    }
}
