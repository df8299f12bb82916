using TorchSharp;
using static TorchSharp.torch;

using OfaBuild.Core.Data;

namespace OfaBuild.Training.Data;

/// <summary>
/// Turns dataset indices into normalised float batches at a given resolution. Training augmentation:
/// random shift by up to <see cref="MaxShift"/> pixels (zero fill) and horizontal flip, then bilinear
/// resize to the batch's resolution (the reference samples a resolution per batch). Evaluation: bilinear
/// resize of the whole image only (align_corners = false, no antialiasing).
/// </summary>
public sealed class BatchMaker
{
    public const int MaxShift = 2;

    private readonly ImageDataset data;
    private readonly Normalization norm;

    public BatchMaker(ImageDataset data, Normalization norm)
    {
        this.data = data;
        this.norm = norm;
    }

    public (Tensor X, Tensor Y) Make(ReadOnlySpan<int> indices, int resolution, Random? augment)
    {
        int n = indices.Length, c = data.Channels, h = data.Height, w = data.Width, size = data.ImageSize;
        var buf = new float[n * size];
        var labels = new long[n];
        for (int i = 0; i < n; i++)
        {
            int idx = indices[i];
            labels[i] = data.Labels[idx];
            var src = data.Pixels.AsSpan(idx * size, size);
            var dst = buf.AsSpan(i * size, size);
            int dx = 0, dy = 0;
            bool flip = false;
            if (augment is not null)
            {
                dx = augment.Next(-MaxShift, MaxShift + 1);
                dy = augment.Next(-MaxShift, MaxShift + 1);
                flip = augment.Next(2) == 1;
            }
            for (int ch = 0; ch < c; ch++)
            {
                float m = norm.Mean[ch], s = norm.Std[ch];
                float zero = (0f - m) / s;
                for (int y = 0; y < h; y++)
                {
                    int sy = y + dy;
                    for (int x = 0; x < w; x++)
                    {
                        int sx = (flip ? w - 1 - x : x) + dx;
                        dst[(ch * h + y) * w + x] = sy < 0 || sy >= h || sx < 0 || sx >= w
                            ? zero
                            : (src[(ch * h + sy) * w + sx] / 255f - m) / s;
                    }
                }
            }
        }
        var xs = tensor(buf, [n, c, h, w]);
        if (resolution != h || resolution != w)
        {
            var resized = nn.functional.interpolate(xs, size: [resolution, resolution], mode: InterpolationMode.Bilinear, align_corners: false);
            xs.Dispose();
            xs = resized;
        }
        return (xs, tensor(labels));
    }

    /// <summary>A permutation of 0..count-1 from <paramref name="rng"/> (Fisher-Yates).</summary>
    public static int[] Shuffle(int count, Random rng)
    {
        var p = Enumerable.Range(0, count).ToArray();
        rng.Shuffle(p);
        return p;
    }
}
