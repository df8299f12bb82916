using OfaBuild.Core.Data;

namespace OfaBuild.Cli.Commands;

/// <summary>
/// The image decoder of this build of the tool: SkiaSharp in the full tool; none in the package's build-host
/// tool (nuget/tool), which keeps native decoders off the build path and reads same-size PGM/PPM folders only.
/// </summary>
internal static class ImageDecoding
{
#if OFA_TOOL_ONLY
    public static IImageDecoder? Decoder => null;
#else
    public static IImageDecoder? Decoder { get; } = new OfaBuild.Imaging.SkiaImageDecoder();
#endif

    /// <summary>
    /// The dataset, decoded as <paramref name="package"/> was trained: its channels, stored for its largest resolution
    /// and its centre crop, and evaluated with that crop (a package without one, e.g. Fashion-MNIST's, takes whole images).
    /// </summary>
    public static DatasetSource ForPackage(string dataset, string? dataDir, OfaBuild.Core.Packaging.OfaManifest package) =>
        new(dataset, dataDir, Decoder)
        {
            Channels = package.Space.InputChannels,
            Size = ElasticResolutions.StorageSize(package.Space.Resolutions, package.Normalization.Crop),
            CenterCrop = package.Normalization.Crop,
        };
}
