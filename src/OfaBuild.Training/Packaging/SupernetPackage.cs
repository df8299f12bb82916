using OfaBuild.Core.Packaging;
using OfaBuild.Core.Tensors;
using OfaBuild.Core.Data;
using OfaBuild.Training.Data;
using OfaBuild.Training.Networks;
using OfaBuild.Training.Shrinking;

namespace OfaBuild.Training.Packaging;

/// <summary>Turns a trained supernet into a .ofa package (and back into a TorchSharp supernet).</summary>
public static class SupernetPackage
{
    /// <summary>
    /// Builds the package: the supernet's weights, the manifest (space, normalisation, labels, provenance) and
    /// <paramref name="calibrationImages"/> training images (U8 [N, C, H, W]) with their labels (I64 [N]) drawn with
    /// the BN-recalibration seed, so build-time recalibration without the dataset sees images like training did.
    /// </summary>
    public static OfaPackage Create(OfaMobileNetV3 net, ImageDataset train, Normalization norm, string source, string? commandLine,
        int calibrationImages = PackageCalibration.DefaultImages, HoldoutInfo? holdout = null)
    {
        var (calibration, calibrationInfo) = PackageCalibration.Draw(train, calibrationImages);

        var manifest = new OfaManifest
        {
            Space = net.Space,
            Normalization = new InputNormalization(norm.Mean.Select(x => (double)x).ToArray(), norm.Std.Select(x => (double)x).ToArray())
            {
                CenterCrop = train.Preprocessing.CenterCrop < 1 ? train.Preprocessing.CenterCrop : null,
            },
            Labels = train.ClassNames.ToArray(),
            Provenance = new Provenance { Source = source, CommandLine = commandLine, ToolVersion = Core.ToolInfo.Version },
            Calibration = calibrationInfo,
            Holdout = holdout,
        };
        return new OfaPackage(manifest, net.ToTensorSet("trained supernet"), null, calibration);
    }

    /// <summary>The package's supernet as a TorchSharp module, and its normalisation.</summary>
    public static (OfaMobileNetV3 Net, Normalization Norm) Load(OfaPackage package)
    {
        var net = new OfaMobileNetV3(package.Manifest.Space);
        net.Load(package.Weights);
        var n = package.Manifest.Normalization;
        return (net, new Normalization(n.Mean.Select(x => (float)x).ToArray(), n.Std.Select(x => (float)x).ToArray()));
    }
}
