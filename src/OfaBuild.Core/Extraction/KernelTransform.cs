namespace OfaBuild.Core.Extraction;

/// <summary>
/// The elastic-kernel rule (reference DynamicSeparableConv2d.get_active_filter): a smaller kernel is
/// the centre crop of the next larger one, flattened per channel and multiplied by a learned
/// matrix (x · Mᵀ), chained from the largest kernel down.
/// </summary>
public static class KernelTransform
{
    /// <summary>Centre <paramref name="dst"/> x <paramref name="dst"/> crop of [channels, src, src] weights.</summary>
    public static float[] CenterCrop(ReadOnlySpan<float> w, int channels, int src, int dst)
    {
        int start = (src - dst) / 2;
        var o = new float[channels * dst * dst];
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < dst; y++)
                w.Slice(c * src * src + (start + y) * src + start, dst)
                    .CopyTo(o.AsSpan(c * dst * dst + y * dst, dst));
        return o;
    }

    /// <summary>
    /// Depthwise weights [channels, k, k] for kernel <paramref name="k"/> from the largest-kernel weights
    /// [channels, kMax, kMax]. <paramref name="matrices"/> gives the learned matrix for (src, dst), shape [dst², dst²];
    /// <paramref name="kernelSizes"/> is the space's ascending kernel list.
    /// </summary>
    public static float[] ActiveFilter(ReadOnlySpan<float> full, int channels, IReadOnlyList<int> kernelSizes, int k,
        Func<int, int, float[]> matrices)
    {
        int kMax = kernelSizes[^1];
        if (k == kMax) return full[..(channels * kMax * kMax)].ToArray();
        float[] current = full[..(channels * kMax * kMax)].ToArray();
        for (int i = kernelSizes.Count - 1; i > 0; i--)
        {
            int src = kernelSizes[i];
            if (src <= k) break;
            int dst = kernelSizes[i - 1];
            current = Linear(CenterCrop(current, channels, src, dst), channels, dst * dst, matrices(src, dst));
        }
        return current;
    }

    /// <summary>Rows of x [rows, n] times Mᵀ (M is [n, n]), accumulated in double for a stable result.</summary>
    private static float[] Linear(float[] x, int rows, int n, float[] m)
    {
        var o = new float[rows * n];
        for (int r = 0; r < rows; r++)
        {
            var xr = x.AsSpan(r * n, n);
            for (int j = 0; j < n; j++)
            {
                var mj = m.AsSpan(j * n, n);
                double s = 0;
                for (int l = 0; l < n; l++) s += (double)xr[l] * mj[l];
                o[r * n + j] = (float)s;
            }
        }
        return o;
    }
}
