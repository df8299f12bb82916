namespace OfaBuild.Core.Calibration;

/// <summary>
/// Turns stored U8 images [N, C, H, W] into network input [N, C, R, R]: bilinear resize with
/// PyTorch's F.interpolate(mode="bilinear", align_corners=False) rule, then (x/255 - mean) / std.
/// </summary>
public static class ImageInput
{
    public static float[] Prepare(ReadOnlySpan<byte> images, int count, int channels, int height, int width,
        int resolution, IReadOnlyList<double> mean, IReadOnlyList<double> std)
    {
        if (images.Length != count * channels * height * width)
            throw new ArgumentException("Image buffer does not match [N, C, H, W].");
        int r = resolution;
        var output = new float[(long)count * channels * r * r];
        var (y0, y1, wy) = Taps(height, r);
        var (x0, x1, wx) = Taps(width, r);
        for (int n = 0; n < count; n++)
            for (int c = 0; c < channels; c++)
            {
                var src = images.Slice((n * channels + c) * height * width, height * width);
                var dst = output.AsSpan((n * channels + c) * r * r, r * r);
                double scale = 1.0 / (255.0 * std[c]), shift = mean[c] / std[c];
                for (int oy = 0; oy < r; oy++)
                    for (int ox = 0; ox < r; ox++)
                    {
                        double top = src[y0[oy] * width + x0[ox]] * (1 - wx[ox]) + src[y0[oy] * width + x1[ox]] * wx[ox];
                        double bottom = src[y1[oy] * width + x0[ox]] * (1 - wx[ox]) + src[y1[oy] * width + x1[ox]] * wx[ox];
                        double v = top * (1 - wy[oy]) + bottom * wy[oy];
                        dst[oy * r + ox] = (float)(v * scale - shift);
                    }
            }
        return output;
    }

    /// <summary>Source rows (or columns) and weights: src = (dst + 0.5) * in/out - 0.5, clamped at 0.</summary>
    private static (int[] Lo, int[] Hi, double[] W) Taps(int inSize, int outSize)
    {
        var lo = new int[outSize];
        var hi = new int[outSize];
        var w = new double[outSize];
        double scale = (double)inSize / outSize;
        for (int o = 0; o < outSize; o++)
        {
            double s = Math.Max((o + 0.5) * scale - 0.5, 0);
            int i = Math.Min((int)s, inSize - 1);
            lo[o] = i;
            hi[o] = Math.Min(i + 1, inSize - 1);
            w[o] = s - i;
        }
        return (lo, hi, w);
    }
}
