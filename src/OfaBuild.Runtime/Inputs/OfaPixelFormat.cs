namespace OfaBuild.Runtime;

/// <summary>
/// Byte order of interleaved pixels, as image libraries hand them out (names as ImageSharp's pixel types):
/// SkiaSharp's default <c>Bgra8888</c> is <see cref="Bgra32"/> on little-endian machines, System.Drawing's
/// <c>Format24bppRgb</c> is <see cref="Bgr24"/> and <c>Format32bppArgb</c> <see cref="Bgra32"/> in memory.
/// Alpha is ignored, as training ignores it.
/// </summary>
#if OFABUILD_LINKED_SOURCE
internal
#else
public
#endif
enum OfaPixelFormat
{
    /// <summary>One byte of grey per pixel.</summary>
    Gray8,
    /// <summary>Red, green, blue.</summary>
    Rgb24,
    /// <summary>Blue, green, red (System.Drawing's 24-bit formats, OpenCV).</summary>
    Bgr24,
    /// <summary>Red, green, blue, alpha.</summary>
    Rgba32,
    /// <summary>Blue, green, red, alpha (SkiaSharp's Bgra8888, System.Drawing's 32-bit formats).</summary>
    Bgra32,
}
