namespace OfaBuild.Runtime;

/// <summary>
/// Pixels to network input: bilinear resize with PyTorch's F.interpolate(mode="bilinear", align_corners=False)
/// rule, then (x / pixelScale - mean[c]) / std[c]. The one implementation used by the build (BN recalibration
/// on calibration images) and by apps (<see cref="OfaInputInfo.Prepare"/>), so both feed the network alike.
/// OfaBuild.Core compiles this file in as internal (linked source), so it needs no reference to the app's library.
/// </summary>
#if OFABUILD_LINKED_SOURCE
internal
#else
public
#endif
static class ImageInput
{
    /// <summary>Images [count, channels, height, width] of bytes to floats [count, channels, r, r] in <paramref name="destination"/>.</summary>
    public static void Prepare(ReadOnlySpan<byte> images, int count, int channels, int height, int width,
        int resolution, IReadOnlyList<double> mean, IReadOnlyList<double> std, Span<float> destination, double pixelScale = 255.0)
    {
        if (count < 0 || channels < 1 || height < 1 || width < 1 || resolution < 1)
            throw new ArgumentOutOfRangeException(nameof(count), "Image dimensions must be positive.");
        if (images.Length != (long)count * channels * height * width)
            throw new ArgumentException($"Pixel buffer holds {images.Length} bytes; [{count}, {channels}, {height}, {width}] needs {(long)count * channels * height * width}.", nameof(images));
        if (mean.Count != channels || std.Count != channels)
            throw new ArgumentException($"Normalisation has {mean.Count} means and {std.Count} stds for {channels} channel(s).", nameof(mean));
        int r = resolution;
        if (destination.Length != (long)count * channels * r * r)
            throw new ArgumentException($"Destination holds {destination.Length} floats; [{count}, {channels}, {r}, {r}] needs {(long)count * channels * r * r}.", nameof(destination));

        Span<int> y0 = stackalloc int[r], y1 = stackalloc int[r], x0 = stackalloc int[r], x1 = stackalloc int[r];
        Span<double> wy = stackalloc double[r], wx = stackalloc double[r];
        Taps(height, y0, y1, wy);
        Taps(width, x0, x1, wx);
        for (int n = 0; n < count; n++)
            for (int c = 0; c < channels; c++)
            {
                var src = images.Slice((n * channels + c) * height * width, height * width);
                var dst = destination.Slice((n * channels + c) * r * r, r * r);
                double scale = 1.0 / (pixelScale * std[c]), shift = mean[c] / std[c];
                for (int oy = 0; oy < r; oy++)
                    for (int ox = 0; ox < r; ox++)
                    {
                        double top = src[y0[oy] * width + x0[ox]] * (1 - wx[ox]) + src[y0[oy] * width + x1[ox]] * wx[ox];
                        double bottom = src[y1[oy] * width + x0[ox]] * (1 - wx[ox]) + src[y1[oy] * width + x1[ox]] * wx[ox];
                        dst[oy * r + ox] = (float)((top * (1 - wy[oy]) + bottom * wy[oy]) * scale - shift);
                    }
            }
    }

    /// <summary>Allocating form of <see cref="Prepare(ReadOnlySpan{byte}, int, int, int, int, int, IReadOnlyList{double}, IReadOnlyList{double}, Span{float}, double)"/>.</summary>
    public static float[] Prepare(ReadOnlySpan<byte> images, int count, int channels, int height, int width,
        int resolution, IReadOnlyList<double> mean, IReadOnlyList<double> std, double pixelScale = 255.0)
    {
        var output = new float[(long)count * channels * resolution * resolution];
        Prepare(images, count, channels, height, width, resolution, mean, std, output, pixelScale);
        return output;
    }

    /// <summary>
    /// Prepared input [channels, size, size] to [channels, r, r] with the same bilinear rule. The weights of a tap sum to 1,
    /// so resizing normalised floats equals normalising the resized pixels: an input prepared at one resolution serves a
    /// subnet of another (the rungs of an adaptive target). Allocates nothing.
    /// </summary>
    public static void Resize(ReadOnlySpan<float> source, int channels, int size, Span<float> destination, int resolution)
    {
        int r = resolution;
        if (source.Length != channels * size * size || destination.Length != channels * r * r)
            throw new ArgumentException($"Resize from [{channels}, {size}, {size}] ({source.Length} floats) to [{channels}, {r}, {r}] ({destination.Length} floats): the lengths do not match the shapes.");
        Span<int> y0 = stackalloc int[r], y1 = stackalloc int[r];
        Span<double> w = stackalloc double[r];
        Taps(size, y0, y1, w); // square: the column taps are the row taps
        for (int c = 0; c < channels; c++)
        {
            var src = source.Slice(c * size * size, size * size);
            var dst = destination.Slice(c * r * r, r * r);
            for (int oy = 0; oy < r; oy++)
                for (int ox = 0; ox < r; ox++)
                {
                    double top = src[y0[oy] * size + y0[ox]] * (1 - w[ox]) + src[y0[oy] * size + y1[ox]] * w[ox];
                    double bottom = src[y1[oy] * size + y0[ox]] * (1 - w[ox]) + src[y1[oy] * size + y1[ox]] * w[ox];
                    dst[oy * r + ox] = (float)(top * (1 - w[oy]) + bottom * w[oy]);
                }
        }
    }

    /// <summary>Source rows (or columns) and weights: src = (dst + 0.5) * in/out - 0.5, clamped at 0.</summary>
    private static void Taps(int inSize, Span<int> lo, Span<int> hi, Span<double> w)
    {
        int outSize = lo.Length;
        double scale = (double)inSize / outSize;
        for (int o = 0; o < outSize; o++)
        {
            double s = Math.Max((o + 0.5) * scale - 0.5, 0);
            int i = Math.Min((int)s, inSize - 1);
            lo[o] = i;
            hi[o] = Math.Min(i + 1, inSize - 1);
            w[o] = s - i;
        }
    }
}
