using System.Runtime.InteropServices;

namespace OfaBuild.Runtime;

/// <summary>
/// Pixels to network input: bilinear resize with PyTorch's F.interpolate(mode="bilinear", align_corners=False)
/// rule (antialiased as Pillow's when shrinking over 2x, <see cref="Shrink"/>), then (x / pixelScale - mean[c]) / std[c]. The one implementation used by the build (BN recalibration
/// on calibration images), by training (crops of <see cref="PrepareRegion"/>) and by apps
/// (<see cref="OfaInputInfo.Prepare(ReadOnlySpan{byte}, int, int, Span{float})"/>), so all feed the network alike. An app's
/// interleaved pixels (RGBA, BGRA, ...) are read in place through <see cref="PixelLayout"/>, training's channel rule.
/// OfaBuild.Core compiles this file in as internal (linked source), so it needs no reference to the app's library.
/// </summary>
#if OFABUILD_LINKED_SOURCE
internal
#else
public
#endif
static class ImageInput
{
    /// <summary>
    /// Pixels of <paramref name="count"/> images [count, channels, height, width] to floats [count, channels, r, r] in <paramref name="destination"/>.
    /// With <paramref name="centerCrop"/> below 1 the image is resized to r / centerCrop and its centre r x r kept
    /// (the reference's evaluation transform, 0.875), computed as one resize of the centre region.
    /// </summary>
    public static void Prepare(ReadOnlySpan<byte> pixels, int count, int channels, int height, int width,
        int resolution, IReadOnlyList<double> mean, IReadOnlyList<double> std, Span<float> destination, double pixelScale = 255.0,
        double centerCrop = 1.0)
    {
        CheckSizes(count, channels, height, width, resolution, centerCrop);
        // 'pixels' is also OfaInputInfo.Prepare's name (the app's way in), so the exception names what the app passed.
        if (pixels.Length != (long)count * channels * height * width)
            throw new ArgumentException($"{nameof(pixels)} holds {pixels.Length} bytes; [{count}, {channels}, {height}, {width}] needs {(long)count * channels * height * width}.", nameof(pixels));
        CheckDestination(destination, count, channels, resolution);
        int r = resolution;
        var (x, y, w, h) = CenterRegion(height, width, r, centerCrop);
        int per = channels * height * width, outPer = channels * r * r;
        var planar = PixelLayout.Planar(height, width);
        for (int n = 0; n < count; n++)
            Resample(pixels.Slice(n * per, per), planar, channels, height, width, x, y, w, h, false, r, mean, std, destination.Slice(n * outPer, outPer), pixelScale);
    }

    /// <summary>
    /// One image of interleaved pixels in <paramref name="format"/>, rows <paramref name="rowBytes"/> apart (a decoder's
    /// stride: the last row's padding may be left out), to floats [channels, r, r] in <paramref name="destination"/> as the
    /// planar <see cref="Prepare(ReadOnlySpan{byte}, int, int, int, int, int, IReadOnlyList{double}, IReadOnlyList{double}, Span{float}, double, double)"/>
    /// does, its pixels first turned into the model's 1 or 3 channels by training's rule (<see cref="PixelLayout"/>).
    /// Reads the pixels in place: no copy, nothing allocated.
    /// </summary>
    public static void Prepare(ReadOnlySpan<byte> pixels, int height, int width, int rowBytes, OfaPixelFormat format, int channels,
        int resolution, IReadOnlyList<double> mean, IReadOnlyList<double> std, Span<float> destination, double pixelScale = 255.0,
        double centerCrop = 1.0)
    {
        CheckSizes(1, channels, height, width, resolution, centerCrop);
        int pixelBytes = PixelLayout.BytesPerPixel(format);
        if (channels is not (1 or 3))
            throw new ArgumentException($"{format} pixels feed a model of 1 or 3 channels; this one takes {channels}: pass planar pixels [{channels}, {height}, {width}].", nameof(format));
        if (rowBytes < (long)width * pixelBytes)
            throw new ArgumentOutOfRangeException(nameof(rowBytes), rowBytes, $"{nameof(rowBytes)} {rowBytes} is less than a row of {width} {format} pixels ({(long)width * pixelBytes} bytes).");
        long all = (long)height * rowBytes, least = all - rowBytes + (long)width * pixelBytes;
        if (pixels.Length < least || pixels.Length > all)
            throw new ArgumentException($"{nameof(pixels)} holds {pixels.Length} bytes; {height} rows of {width} {format} pixels, {rowBytes} bytes apart, need {all}"
                + (least < all ? $" ({least} without the last row's padding)." : "."), nameof(pixels));
        CheckDestination(destination, 1, channels, resolution);
        var (x, y, w, h) = CenterRegion(height, width, resolution, centerCrop);
        Resample(pixels, PixelLayout.Interleaved(format, rowBytes, channels), channels, height, width, x, y, w, h, false, resolution, mean, std, destination, pixelScale);
    }

    private static void CheckSizes(int count, int channels, int height, int width, int resolution, double centerCrop)
    {
        if (count < 0 || channels < 1 || height < 1 || width < 1 || resolution < 1)
            throw new ArgumentOutOfRangeException(nameof(count), "Image dimensions must be positive.");
        if (centerCrop is not (> 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(centerCrop), $"Centre crop {centerCrop} must be in (0, 1].");
    }

    private static void CheckDestination(Span<float> destination, int count, int channels, int r)
    {
        if (destination.Length != (long)count * channels * r * r)
            throw new ArgumentException($"{nameof(destination)} holds {destination.Length} floats; [{count}, {channels}, {r}, {r}] needs {(long)count * channels * r * r}.", nameof(destination));
    }

    /// <summary>Allocating form of <see cref="Prepare(ReadOnlySpan{byte}, int, int, int, int, int, IReadOnlyList{double}, IReadOnlyList{double}, Span{float}, double, double)"/>.</summary>
    public static float[] Prepare(ReadOnlySpan<byte> pixels, int count, int channels, int height, int width,
        int resolution, IReadOnlyList<double> mean, IReadOnlyList<double> std, double pixelScale = 255.0, double centerCrop = 1.0)
    {
        var output = new float[(long)count * channels * resolution * resolution];
        Prepare(pixels, count, channels, height, width, resolution, mean, std, output, pixelScale, centerCrop);
        return output;
    }

    /// <summary>
    /// Prepared input [channels, size, size] to [channels, r, r] by Prepare's rule (bilinear up to 2x, antialiased beyond:
    /// <see cref="NeedsAntialias"/>). The weights of a tap sum to 1, so resizing normalised floats equals normalising the
    /// resized pixels: an input prepared at one resolution serves a subnet of another (the rungs of an adaptive target) as
    /// an input prepared for it would. Allocates nothing.
    /// </summary>
    public static void Resize(ReadOnlySpan<float> source, int channels, int size, Span<float> destination, int resolution)
    {
        int r = resolution;
        if (source.Length != channels * size * size || destination.Length != channels * r * r)
            throw new ArgumentException($"Resize from [{channels}, {size}, {size}] ({source.Length} floats) to [{channels}, {r}, {r}] ({destination.Length} floats): the lengths do not match the shapes.");
        // Already normalised: mean 0, std 1, scale 1 leave each resized value as it is, bit for bit.
        Span<double> mean = channels <= MaxStackChannels ? stackalloc double[channels] : new double[channels];
        Span<double> std = channels <= MaxStackChannels ? stackalloc double[channels] : new double[channels];
        mean.Clear();
        std.Fill(1);
        Resample<PixelLayout.FloatRead>(MemoryMarshal.AsBytes(source), PixelLayout.PlanarFloats(size, size), channels, size, size,
            0, 0, size, size, false, r, mean, std, destination, pixelScale: 1);
    }

    /// <summary>Channels whose normalisation <see cref="Resample"/> keeps on the stack; more (not an image) are allocated.</summary>
    private const int MaxStackChannels = 64;

    /// <summary>
    /// The region an image keeps under the centre-crop rule, in source pixels: the centre square of its shorter side (as
    /// training's decoder stores a photo), then the centre r x r of that square resized to r / crop.
    /// </summary>
    public static (double X, double Y, double Width, double Height) CenterRegion(int height, int width, int resolution, double centerCrop)
    {
        // torchvision: Resize(round(r / crop)) of the shorter side then CenterCrop(r): the kept part is r / resized of it.
        // A non-square image was squashed into the square before, unlike anything training saw.
        double side = Math.Min(width, height), kept = centerCrop >= 1 ? side : side * resolution / Math.Round(resolution / centerCrop);
        return ((width - kept) / 2, (height - kept) / 2, kept, kept);
    }

    /// <summary>
    /// One image [channels, height, width]: the region (x, y, w, h) in source pixels, mirrored if <paramref name="flip"/>,
    /// resized bilinearly to r x r (antialiased beyond 2x, <see cref="Shrink"/>) and normalised into <paramref name="destination"/>
    /// [channels, r, r]. The whole image (0, 0, width, height), at most twice r, gives exactly F.interpolate's result.
    /// </summary>
    public static void PrepareRegion(ReadOnlySpan<byte> image, int channels, int height, int width,
        double x, double y, double w, double h, bool flip, int resolution,
        IReadOnlyList<double> mean, IReadOnlyList<double> std, Span<float> destination, double pixelScale = 255.0) =>
        Resample(image, PixelLayout.Planar(height, width), channels, height, width, x, y, w, h, flip, resolution, mean, std, destination, pixelScale);

    /// <summary><see cref="PrepareRegion"/> on an image whose bytes <paramref name="layout"/> places: planar or interleaved, read in place.</summary>
    private static void Resample(ReadOnlySpan<byte> image, PixelLayout layout, int channels, int height, int width,
        double x, double y, double w, double h, bool flip, int resolution,
        IReadOnlyList<double> mean, IReadOnlyList<double> std, Span<float> destination, double pixelScale)
    {
        if (mean.Count != channels || std.Count != channels)
            throw new ArgumentException($"Normalisation has {mean.Count} means and {std.Count} stds for {channels} channel(s).", nameof(mean));
        Span<double> m = channels <= MaxStackChannels ? stackalloc double[channels] : new double[channels];
        Span<double> s = channels <= MaxStackChannels ? stackalloc double[channels] : new double[channels];
        for (int c = 0; c < channels; c++) (m[c], s[c]) = (mean[c], std[c]);
        if (layout.ToGrey) Resample<PixelLayout.LumaRead>(image, layout, channels, height, width, x, y, w, h, flip, resolution, m, s, destination, pixelScale);
        else Resample<PixelLayout.ByteRead>(image, layout, channels, height, width, x, y, w, h, flip, resolution, m, s, destination, pixelScale);
    }

    private static void Resample<TRead>(ReadOnlySpan<byte> image, in PixelLayout layout, int channels, int height, int width,
        double x, double y, double w, double h, bool flip, int resolution,
        ReadOnlySpan<double> mean, ReadOnlySpan<double> std, Span<float> destination, double pixelScale)
        where TRead : struct, PixelLayout.IRead
    {
        int r = resolution;
        if (NeedsAntialias(w, r) || NeedsAntialias(h, r))
        {
            ResampleWide<TRead>(image, layout, channels, height, width, x, y, w, h, flip, r, mean, std, destination, pixelScale);
            return;
        }
        Span<int> y0 = stackalloc int[r], y1 = stackalloc int[r], x0 = stackalloc int[r], x1 = stackalloc int[r];
        Span<double> wy = stackalloc double[r], wx = stackalloc double[r];
        Taps(height, y, h, y0, y1, wy);
        Taps(width, x, w, x0, x1, wx);
        if (flip)
        {
            x0.Reverse(); x1.Reverse(); wx.Reverse();
        }
        // Rows and columns as byte offsets into the image.
        for (int i = 0; i < r; i++)
        {
            y0[i] *= layout.RowBytes; y1[i] *= layout.RowBytes; x0[i] *= layout.PixelBytes; x1[i] *= layout.PixelBytes;
        }
        for (int c = 0; c < channels; c++)
        {
            int at = layout.Channel(c);
            var dst = destination.Slice(c * r * r, r * r);
            double scale = 1.0 / (pixelScale * std[c]), shift = mean[c] / std[c];
            for (int oy = 0; oy < r; oy++)
                for (int ox = 0; ox < r; ox++)
                {
                    double top = TRead.Read(image, at + y0[oy] + x0[ox], layout) * (1 - wx[ox]) + TRead.Read(image, at + y0[oy] + x1[ox], layout) * wx[ox];
                    double bottom = TRead.Read(image, at + y1[oy] + x0[ox], layout) * (1 - wx[ox]) + TRead.Read(image, at + y1[oy] + x1[ox], layout) * wx[ox];
                    dst[oy * r + ox] = (float)((top * (1 - wy[oy]) + bottom * wy[oy]) * scale - shift);
                }
        }
    }

    /// <summary>
    /// Above this ratio of region to output in a dimension, 4 bilinear taps would skip most of each output pixel's source
    /// footprint (a 12 MP photo into 160 px: 4 of ~25 x 25), the aliasing training's antialiased decoder never shows the
    /// network; there the resize averages the footprint instead (<see cref="ResampleWide"/>). Up to it, bilinear as before.
    /// </summary>
    private const double Shrink = 2;

    /// <summary>
    /// Whether a region <paramref name="size"/> source pixels across is shrunk to <paramref name="resolution"/> antialiased
    /// (over <see cref="Shrink"/> times it) rather than bilinear. Training's tensor resize follows the same rule.
    /// </summary>
    public static bool NeedsAntialias(double size, int resolution) => size > Shrink * resolution;

    /// <summary>Column weights <see cref="ResampleWide"/> keeps on the stack (128 KB); a wider region's are allocated.</summary>
    private const int MaxStackWeights = 32 * 1024;

    /// <summary>
    /// <see cref="Resample"/>'s resize when the region is over <see cref="Shrink"/> times the output: Pillow's antialiased
    /// bilinear (its resize, torchvision's on PIL images), a tent widened by the scale, so each output pixel averages the
    /// source pixels within one output pixel of its centre, weights normalised over those inside the image. Nothing is
    /// allocated (up to <see cref="MaxStackWeights"/>).
    /// </summary>
    private static void ResampleWide<TRead>(ReadOnlySpan<byte> image, in PixelLayout layout, int channels, int height, int width,
        double x, double y, double w, double h, bool flip, int r,
        ReadOnlySpan<double> mean, ReadOnlySpan<double> std, Span<float> destination, double pixelScale)
        where TRead : struct, PixelLayout.IRead
    {
        Span<int> yFirst = stackalloc int[r], yEnd = stackalloc int[r], xFirst = stackalloc int[r], xEnd = stackalloc int[r];
        Span<double> yCentre = stackalloc double[r], yNorm = stackalloc double[r], xCentre = stackalloc double[r], xNorm = stackalloc double[r];
        double ySlope = Footprints(height, y, h, yFirst, yEnd, yCentre, yNorm), xSlope = Footprints(width, x, w, xFirst, xEnd, xCentre, xNorm);
        if (flip)
        {
            xFirst.Reverse(); xEnd.Reverse(); xCentre.Reverse(); xNorm.Reverse();
        }
        // Each column's normalised weights, reused by every row and channel (computing them per tap took twice as long): r x taps
        // floats, about twice the region's width, on the stack up to MaxStackWeights (regions up to ~16,000 px wide).
        int taps = 0;
        for (int o = 0; o < r; o++) taps = Math.Max(taps, xEnd[o] - xFirst[o]);
        Span<float> xw = r * taps <= MaxStackWeights ? stackalloc float[r * taps] : new float[r * taps];
        for (int o = 0; o < r; o++)
            for (int i = xFirst[o]; i < xEnd[o]; i++) xw[o * taps + i - xFirst[o]] = (float)(Tent(i, xCentre[o], xSlope) * xNorm[o]);
        // A row of outputs at a time: its source rows stay in cache for every channel.
        for (int oy = 0; oy < r; oy++)
            for (int c = 0; c < channels; c++)
            {
                var dst = destination.Slice((c * r + oy) * r, r);
                for (int ox = 0; ox < r; ox++)
                {
                    double sum = 0;
                    int x0 = xFirst[ox];
                    var wxs = xw.Slice(ox * taps, xEnd[ox] - x0);
                    for (int j = yFirst[oy]; j < yEnd[oy]; j++)
                    {
                        double line = 0;
                        int row = layout.Channel(c) + j * layout.RowBytes + x0 * layout.PixelBytes;
                        for (int k = 0; k < wxs.Length; k++)
                            line += wxs[k] * TRead.Read(image, row + k * layout.PixelBytes, layout);
                        sum += Tent(j, yCentre[oy], ySlope) * line;
                    }
                    dst[ox] = (float)(sum * yNorm[oy] / (pixelScale * std[c]) - mean[c] / std[c]);
                }
            }
    }

    /// <summary>
    /// Pillow's footprints of each output pixel in one dimension: centre start + (dst + 0.5) * size/out, source pixels
    /// [first, end) within reach = max(scale, 1) of it and inside the image, 1 / their summed <see cref="Tent"/> weight.
    /// Returns the tent's slope, 1 / reach (multiplied per tap rather than divided).
    /// </summary>
    private static double Footprints(int inSize, double start, double size, Span<int> first, Span<int> end, Span<double> centre, Span<double> norm)
    {
        int outSize = first.Length;
        double scale = size / outSize, reach = Math.Max(scale, 1), slope = 1 / reach;
        for (int o = 0; o < outSize; o++)
        {
            double at = start + (o + 0.5) * scale;
            first[o] = Math.Max((int)(at - reach + 0.5), 0);
            end[o] = Math.Min((int)(at + reach + 0.5), inSize);
            centre[o] = at;
            double total = 0;
            for (int i = first[o]; i < end[o]; i++) total += Tent(i, at, slope);
            norm[o] = 1 / total;
        }
        return slope;
    }

    /// <summary>Weight of source pixel <paramref name="i"/> (its centre i + 0.5) for an output pixel centred at <paramref name="centre"/>; <paramref name="slope"/> is 1 / reach.</summary>
    private static double Tent(int i, double centre, double slope) => Math.Max(0, 1 - Math.Abs(i + 0.5 - centre) * slope);

    /// <summary>Source rows (or columns) and weights: src = start + (dst + 0.5) * size/out - 0.5, clamped to the image.</summary>
    private static void Taps(int inSize, double start, double size, Span<int> lo, Span<int> hi, Span<double> w)
    {
        int outSize = lo.Length;
        double scale = size / outSize;
        for (int o = 0; o < outSize; o++)
        {
            double s = Math.Clamp(start + (o + 0.5) * scale - 0.5, 0, inSize - 1);
            int i = Math.Min((int)s, inSize - 1);
            lo[o] = i;
            hi[o] = Math.Min(i + 1, inSize - 1);
            w[o] = s - i;
        }
    }
}
