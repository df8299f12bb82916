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
    /// The dataset, decoded as <paramref name="package"/> was trained: its channels, stored for its largest resolution
    /// and its centre crop, and evaluated with that crop (a package without one, e.g. Fashion-MNIST's, takes whole images).
    /// </summary>
    public static DatasetSource ForPackage(string dataset, string? dataDir, OfaBuild.Core.Packaging.OfaManifest package, IImageDecoder? decoder) =>
        new(dataset, dataDir, decoder)
        {
            Channels = package.Space.InputChannels,
            Size = ElasticResolutions.StorageSize(package.Space.Resolutions, package.Normalization.Crop),
            CenterCrop = package.Normalization.Crop,
        };
}
