using OfaBuild.Contracts;
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

    /// <summary>
    /// The command that stores a predictor in a package without one, in backquotes: worded in one place for `ofa inspect`,
    /// `ofa report` and the build's log. Its images are the user's: the package names no dataset to measure on.
    /// </summary>
    public static string MeasureCommand(string packagePath) => $"`ofa measure --model {ShellWord.Quote(packagePath)} --dataset <its training images>`";
}
