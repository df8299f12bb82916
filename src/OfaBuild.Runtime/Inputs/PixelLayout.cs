using System.Runtime.InteropServices;

namespace OfaBuild.Runtime;

/// <summary>
/// Where a model channel's byte of a pixel is in an image buffer, and the one rule from an image's channels to a
/// model's: colour to grey by ITU-R 601 luma rounded to the nearest (PIL's convert("L")), grey to colour by repeating
/// it, alpha ignored. Training's decoder (OfaBuild.Imaging, through Core's linked copy) and the app's Prepare both
/// read pixels through it, so a photo reaches the network as training saw it.
/// </summary>
internal readonly struct PixelLayout
{
    // Channel c of the pixel at byte 'at' is image[at + _first + c * _step]: planar images step a plane, RGB a byte,
    // BGR back a byte, and a grey image 0 (its one byte repeated). _luma: a colour image for a grey model.
    private readonly int _first, _step;
    private readonly bool _luma;

    private PixelLayout(int first, int step, bool luma, int pixelBytes, int rowBytes) =>
        (_first, _step, _luma, PixelBytes, RowBytes) = (first, step, luma, pixelBytes, rowBytes);

    /// <summary>Bytes from one pixel to the next in a row.</summary>
    public int PixelBytes { get; }
    /// <summary>Bytes from one row to the next.</summary>
    public int RowBytes { get; }

    /// <summary>Planar bytes [channels, height, width]: already the model's channels.</summary>
    public static PixelLayout Planar(int height, int width) => new(0, height * width, false, 1, width);

    /// <summary>
    /// Planar floats [channels, height, width] seen as bytes (an input already prepared, read with <see cref="FloatRead"/>):
    /// the rung of an adaptive target resizes rung 0's input by the rule that prepared it.
    /// </summary>
    public static PixelLayout PlanarFloats(int height, int width) => new(0, height * width * sizeof(float), false, sizeof(float), width * sizeof(float));

    /// <summary>Interleaved pixels of <paramref name="format"/>, rows <paramref name="rowBytes"/> apart, read as a model of 1 or 3 channels.</summary>
    public static PixelLayout Interleaved(OfaPixelFormat format, int rowBytes, int modelChannels)
    {
        bool grey = format == OfaPixelFormat.Gray8, bgr = format is OfaPixelFormat.Bgr24 or OfaPixelFormat.Bgra32;
        return new(bgr ? 2 : 0, grey ? 0 : bgr ? -1 : 1, modelChannels == 1 && !grey, BytesPerPixel(format), rowBytes);
    }

    public static int BytesPerPixel(OfaPixelFormat format) => format switch
    {
        OfaPixelFormat.Gray8 => 1,
        OfaPixelFormat.Rgb24 or OfaPixelFormat.Bgr24 => 3,
        OfaPixelFormat.Rgba32 or OfaPixelFormat.Bgra32 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Not a pixel format: Gray8, Rgb24, Bgr24, Rgba32 or Bgra32."),
    };

    /// <summary>Offset of model channel <paramref name="c"/> from a pixel's first byte, for <see cref="Read"/>.</summary>
    public int Channel(int c) => _luma ? 0 : _first + c * _step;

    /// <summary>A colour image for a grey model: values are read with <see cref="LumaRead"/>, else <see cref="ByteRead"/>.</summary>
    public bool ToGrey => _luma;

    /// <summary>The model's value of the byte at <paramref name="at"/> (a pixel's offset plus <see cref="Channel"/>).</summary>
    public int Read(ReadOnlySpan<byte> image, int at) => (int)(_luma ? LumaRead.Read(image, at, this) : ByteRead.Read(image, at, this));

    /// <summary>
    /// <see cref="Read"/> with the choice made once per image, for a generic loop over struct readers: a branch per read
    /// made the planar Prepare 15 % slower. A float holds a byte's value exactly, so the resize computes as it would on the int.
    /// </summary>
    public interface IRead
    {
        static abstract float Read(ReadOnlySpan<byte> image, int at, in PixelLayout layout);
    }

    /// <summary>The byte itself: the model's channels are the image's.</summary>
    public struct ByteRead : IRead
    {
        public static float Read(ReadOnlySpan<byte> image, int at, in PixelLayout layout) => image[at];
    }

    /// <summary>The luma of the pixel at <c>at</c>.</summary>
    public struct LumaRead : IRead
    {
        public static float Read(ReadOnlySpan<byte> image, int at, in PixelLayout layout) =>
            Luma(image[at + layout._first], image[at + layout._first + layout._step], image[at + layout._first + 2 * layout._step]);
    }

    /// <summary>The float at <c>at</c> (<see cref="PlanarFloats"/>).</summary>
    public struct FloatRead : IRead
    {
        public static float Read(ReadOnlySpan<byte> image, int at, in PixelLayout layout) => MemoryMarshal.Read<float>(image[at..]);
    }

    /// <summary>ITU-R 601 luma, rounded to the nearest: (299 r + 587 g + 114 b) / 1000, grey for grey (the weights sum to 1000).</summary>
    public static int Luma(int r, int g, int b) => (r * 299 + g * 587 + b * 114 + 500) / 1000;

    /// <summary>The image [height, width] as planar bytes of the model's <paramref name="channels"/> in <paramref name="planar"/>.</summary>
    public void ToPlanar(ReadOnlySpan<byte> image, int height, int width, int channels, Span<byte> planar)
    {
        int plane = height * width;
        for (int c = 0; c < channels; c++)
            for (int y = 0, at = Channel(c); y < height; y++)
                for (int x = 0; x < width; x++)
                    planar[c * plane + y * width + x] = (byte)Read(image, at + y * RowBytes + x * PixelBytes);
    }
}
