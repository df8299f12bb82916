using System.Runtime.InteropServices;
using OfaBuild.Core.Tensors;

namespace OfaBuild.Core.Packaging;

/// <summary>
/// A package with seeded random weights and random calibration images (`ofa init`): its subnets are
/// untrained, but it exercises every step of the pipeline (search, extraction, recalibration, export, build).
/// </summary>
public static class UntrainedPackage
{
    /// <summary>The seed of the random weights and images when none is given (`ofa init --seed`).</summary>
    public const int DefaultSeed = 1;

    public static OfaPackage Create(SearchSpace space, int seed = DefaultSeed, int calibrationImages = 64,
        IReadOnlyList<string>? labels = null, InputNormalization? normalization = null)
    {
        int n = calibrationImages, r = space.Resolutions[^1], c = space.InputChannels;
        var rng = new Random(seed);
        var pixels = new byte[n * c * r * r];
        rng.NextBytes(pixels);
        var classes = Enumerable.Range(0, n).Select(i => (long)(i % space.NumClasses)).ToArray();
        var calibration = new TensorSet("calibration");
        calibration.Add(OfaPackage.CalibrationImages, Tensor.FromBytes(DType.U8, [n, c, r, r], pixels));
        calibration.Add(OfaPackage.CalibrationLabels, Tensor.FromBytes(DType.I64, [n], MemoryMarshal.AsBytes(classes.AsSpan())));
        var manifest = new OfaManifest
        {
            Space = space,
            Normalization = normalization ?? (c == 3 ? InputNormalization.ImageNet : InputNormalization.Identity(c)),
            Labels = labels ?? Enumerable.Range(0, space.NumClasses).Select(i => $"class_{i}").ToArray(),
            Provenance = new Provenance { Source = $"untrained: random weights (seed {seed})", ToolVersion = ToolInfo.Version },
            Calibration = new CalibrationInfo { Count = n, Source = "random pixels" },
        };
        return new OfaPackage(manifest, RandomSupernet.Create(space, seed), calibration: calibration);
    }
}
