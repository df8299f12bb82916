using OfaBuild.Core.Packaging;

namespace OfaBuild.Core.Accuracy;

/// <summary>A package's accuracy predictor, read with the input encoding its manifest records.</summary>
public static class PackagePredictor
{
    /// <summary>The predictor of <paramref name="package"/>, or null if it has none.</summary>
    public static AccuracyPredictor? Load(OfaPackage package) => Load(package.Manifest, package.Predictor);

    /// <summary>The predictor stored as <paramref name="predictor"/> beside <paramref name="manifest"/>, or null.</summary>
    public static AccuracyPredictor? Load(OfaManifest manifest, Tensors.TensorSet? predictor) =>
        predictor is { } p
            ? AccuracyPredictor.FromTensors(p, encoder: ArchEncodings.For(manifest.Predictor, manifest.Space))
            : null;
}
