namespace OfaBuild.Core.Data;

/// <summary>
/// Labelled images in memory as bytes, [N, C, H, W] row-major (all the same size), with class names.
/// Fashion-MNIST's 60000 training images take 47 MB this way.
/// </summary>
public sealed class ImageDataset
{
    public byte[] Pixels { get; }
    public int[] Labels { get; }
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public IReadOnlyList<string> ClassNames { get; }
    /// <summary>Where the images came from, for messages.</summary>
    public string Source { get; }
    /// <summary>How the images are augmented for training and cropped for evaluation.</summary>
    public InputPreprocessing Preprocessing { get; init; } = InputPreprocessing.WholeImage;
    /// <summary>
    /// How the pixels were read, where a measured file must say so: <see cref="ImageFolder.AsStored"/> for PGM/PPM images
    /// read as they are, which the full tool decoded to stored squares before; null for decoded images and Fashion-MNIST,
    /// whose descriptions (and so the reuse of files measured on them) stay as they were.
    /// </summary>
    public string? Reading { get; init; }

    public int Count => Labels.Length;
    public int ImageSize => Channels * Height * Width;

    public ImageDataset(byte[] pixels, int[] labels, int channels, int height, int width, IReadOnlyList<string> classNames, string source)
    {
        if (pixels.Length != (long)labels.Length * channels * height * width)
            throw new ArgumentException($"{source}: {pixels.Length} pixel bytes do not hold {labels.Length} images of {channels}x{height}x{width}.");
        Pixels = pixels; Labels = labels; Channels = channels; Height = height; Width = width; ClassNames = classNames; Source = source;
        foreach (var l in labels)
            if (l < 0 || l >= classNames.Count)
                throw new ArgumentException($"{source}: label {l} is outside 0..{classNames.Count - 1}.");
    }

    /// <summary>The images at <paramref name="indices"/> as a new dataset (e.g. the calibration subset).</summary>
    public ImageDataset Subset(IReadOnlyList<int> indices, string? source = null)
    {
        int size = ImageSize;
        var pixels = new byte[indices.Count * size];
        var labels = new int[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            Array.Copy(Pixels, (long)indices[i] * size, pixels, (long)i * size, size);
            labels[i] = Labels[indices[i]];
        }
        return new ImageDataset(pixels, labels, Channels, Height, Width, ClassNames, source ?? Source) { Preprocessing = Preprocessing, Reading = Reading };
    }

    /// <summary>
    /// The same images with their labels renumbered to <paramref name="classNames"/> (the training images' classes) by
    /// name, so a val/ or test/ folder that lacks a class keeps the right labels; a class the training images do not
    /// have is an error naming its folder.
    /// </summary>
    public ImageDataset WithClassesOf(IReadOnlyList<string> classNames)
    {
        var map = ClassNames.Select(name =>
        {
            int i = classNames.ToList().IndexOf(name);
            return i >= 0 ? i : throw new OfaException(
                $"Class folder '{Path.Combine(Source, name)}' is not a class of the training images ({string.Join(", ", classNames)}); rename it after one or remove it.");
        }).ToArray();
        return new ImageDataset(Pixels, Labels.Select(l => map[l]).ToArray(), Channels, Height, Width, classNames, Source) { Preprocessing = Preprocessing, Reading = Reading };
    }

    /// <summary>The same images (shared, not copied) with other preprocessing.</summary>
    public ImageDataset WithPreprocessing(InputPreprocessing preprocessing) =>
        new(Pixels, Labels, Channels, Height, Width, ClassNames, Source) { Preprocessing = preprocessing, Reading = Reading };

    /// <summary>Per-channel mean and standard deviation of the pixels scaled to [0, 1] (the normalisation used for training).</summary>
    public Normalization ComputeNormalization()
    {
        var mean = new double[Channels];
        var sq = new double[Channels];
        int plane = Height * Width;
        for (int n = 0; n < Count; n++)
            for (int c = 0; c < Channels; c++)
            {
                long o = ((long)n * Channels + c) * plane;
                for (int i = 0; i < plane; i++)
                {
                    double v = Pixels[o + i] / 255.0;
                    mean[c] += v; sq[c] += v * v;
                }
            }
        double count = (double)Count * plane;
        return new Normalization(
            mean.Select(m => (float)(m / count)).ToArray(),
            mean.Select((m, c) => (float)Math.Sqrt(Math.Max(1e-12, sq[c] / count - (m / count) * (m / count)))).ToArray());
    }
}

/// <summary>Input normalisation: (pixel / 255 - Mean[c]) / Std[c].</summary>
public sealed record Normalization(float[] Mean, float[] Std);
