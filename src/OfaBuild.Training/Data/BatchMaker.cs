using static TorchSharp.torch;

using OfaBuild.Core.Data;
using OfaBuild.Runtime;

namespace OfaBuild.Training.Data;

/// <summary>
/// Turns dataset indices into normalised float batches at a given resolution. Training augmentation:
/// random shift by up to <see cref="MaxShift"/> pixels (zero fill) and horizontal flip, then <see cref="Resize"/>
/// to the batch's resolution (the reference samples a resolution per batch). Evaluation: <see cref="Resize"/> of
/// the whole image only. Datasets with the reference's preprocessing (decoded image folders) take
/// <see cref="MakeCropped"/> instead.
/// </summary>
public sealed class BatchMaker
{
    public const int MaxShift = 2;

    private readonly ImageDataset _data;
    private readonly Normalization _norm;

    public BatchMaker(ImageDataset data, Normalization norm)
    {
        _data = data;
        _norm = norm;
    }

    public (Tensor X, Tensor Y) Make(ReadOnlySpan<int> indices, int resolution, Random? augment)
    {
        if (_data.Preprocessing != InputPreprocessing.WholeImage) return MakeCropped(indices, resolution, augment);
        int n = indices.Length, c = _data.Channels, h = _data.Height, w = _data.Width, size = _data.ImageSize;
        var buf = new float[n * size];
        var labels = new long[n];
        for (int i = 0; i < n; i++)
        {
            int idx = indices[i];
            labels[i] = _data.Labels[idx];
            var src = _data.Pixels.AsSpan(idx * size, size);
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
                float m = _norm.Mean[ch], s = _norm.Std[ch];
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
        var resized = Resize(xs, resolution);
        if (!ReferenceEquals(resized, xs)) xs.Dispose();
        return (resized, tensor(labels));
    }

    /// <summary>
    /// A batch [n, c, h, w] to [n, c, r, r] by <see cref="ImageInput"/>'s rule, so training sees what evaluation, calibration
    /// and an app's Prepare see: F.interpolate's bilinear (align_corners false) up to <see cref="ImageInput.NeedsAntialias"/>,
    /// beyond it libtorch's antialiased bilinear (Pillow's, as ImageInput's). <paramref name="x"/> itself when already r x r.
    /// </summary>
    public static Tensor Resize(Tensor x, int resolution)
    {
        long h = x.shape[2], w = x.shape[3];
        if (h == resolution && w == resolution) return x;
        bool antialias = ImageInput.NeedsAntialias(w, resolution) || ImageInput.NeedsAntialias(h, resolution);
        return nn.functional.interpolate(x, [resolution, resolution], mode: InterpolationMode.Bilinear, align_corners: false, antialias: antialias);
    }

    /// <summary>
    /// The reference's transforms, straight to the resolution (one bilinear resample per image, in
    /// <see cref="ImageInput.PrepareRegion"/>): training takes a random resized crop and flips it; evaluation
    /// and calibration without <paramref name="augment"/> take the centre crop.
    /// </summary>
    private (Tensor X, Tensor Y) MakeCropped(ReadOnlySpan<int> indices, int resolution, Random? augment)
    {
        int n = indices.Length, c = _data.Channels, h = _data.Height, w = _data.Width, size = _data.ImageSize, per = c * resolution * resolution;
        var mean = _norm.Mean.Select(m => (double)m).ToArray();
        var std = _norm.Std.Select(m => (double)m).ToArray();
        var buf = new float[n * per];
        var labels = new long[n];
        var center = ImageInput.CenterRegion(h, w, resolution, _data.Preprocessing.CenterCrop);
        for (int i = 0; i < n; i++)
        {
            int idx = indices[i];
            labels[i] = _data.Labels[idx];
            var (x, y, cw, ch) = augment is null ? center : RandomResizedCrop(h, w, augment);
            bool flip = augment is not null && augment.Next(2) == 1;
            ImageInput.PrepareRegion(_data.Pixels.AsSpan(idx * size, size), c, h, w, x, y, cw, ch, flip, resolution, mean, std, buf.AsSpan(i * per, per));
        }
        return (tensor(buf, [n, c, resolution, resolution]), tensor(labels));
    }

    /// <summary>torchvision's RandomResizedCrop box: area 8-100 % of the image, aspect ratio log-uniform in 3/4..4/3, 10 tries, else the whole image.</summary>
    public static (double X, double Y, double W, double H) RandomResizedCrop(int height, int width, Random rng)
    {
        double area = (double)height * width;
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double target = area * (0.08 + rng.NextDouble() * 0.92);
            double ratio = Math.Exp(Math.Log(3.0 / 4) + rng.NextDouble() * (Math.Log(4.0 / 3) - Math.Log(3.0 / 4)));
            int cw = (int)Math.Round(Math.Sqrt(target * ratio)), ch = (int)Math.Round(Math.Sqrt(target / ratio));
            if (cw < 1 || ch < 1 || cw > width || ch > height) continue;
            return (rng.Next(width - cw + 1), rng.Next(height - ch + 1), cw, ch);
        }
        return (0, 0, width, height);
    }

    /// <summary>A permutation of 0..count-1 from <paramref name="rng"/> (Fisher-Yates).</summary>
    public static int[] Shuffle(int count, Random rng)
    {
        var p = Enumerable.Range(0, count).ToArray();
        rng.Shuffle(p);
        return p;
    }
}
