using OfaBuild.Core.Data;

namespace OfaBuild.Cli.Commands;

/// <summary>
/// Datasets read as a package was trained. The decoder comes from the tool that runs the command: SkiaSharp in the
/// full tool (src/OfaBuild.Tool); none in the package's build-host tool, which keeps native decoders off the build
/// path and reads Fashion-MNIST and same-size PGM/PPM folders only.
/// </summary>
internal static class ImageDecoding
{

    /// <summary>
    /// The dataset, read to evaluate <paramref name="package"/>: in its channels, with its centre crop (a package without
    /// one, e.g. Fashion-MNIST's, takes whole images); a folder of same-size PGM/PPM images as it is (in either tool, as an
    /// app's Prepare gets it), other images decoded as the package was trained (stored for its largest resolution).
    /// </summary>
    public static DatasetSource ForPackage(string dataset, string? dataDir, OfaBuild.Core.Packaging.OfaManifest package, IImageDecoder? decoder) =>
        new(dataset, dataDir, decoder)
        {
            Channels = package.Space.InputChannels,
            Size = ElasticResolutions.StorageSize(package.Space.Resolutions, package.Normalization.Crop),
            CenterCrop = package.Normalization.Crop,
            ForEvaluation = true,
        };
}
