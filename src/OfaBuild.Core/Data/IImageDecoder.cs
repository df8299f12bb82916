namespace OfaBuild.Core.Data;

/// <summary>What an image file's header says, read without decoding the pixels.</summary>
public readonly record struct ImageHeader(int Width, int Height, bool Grey);

/// <summary>
/// Reads image files for <see cref="ImageFolder"/>. Core holds none of a maintained decoder's native code, so the
/// build-host tool stays free of it; OfaBuild.Imaging implements this with SkiaSharp (JPEG, PNG, BMP, WebP, GIF).
/// Every error is an <see cref="OfaException"/> naming the file.
/// </summary>
public interface IImageDecoder
{
    /// <summary>File extensions (lower case, with the dot) this decoder reads; other files in a class folder are skipped.</summary>
    IReadOnlyCollection<string> Extensions { get; }

    ImageHeader ReadHeader(string path);

    /// <summary>
    /// Planar bytes [channels, size, size]: the shorter side resized to <paramref name="size"/> (antialiased), the
    /// centre square kept; grey images are repeated into 3 channels, colour images turned grey by ITU-R 601 luma
    /// (the runtime's rule, OfaBuild.Runtime.PixelLayout, so an app's Prepare of a photo matches).
    /// </summary>
    byte[] DecodeSquare(string path, int channels, int size);
}
