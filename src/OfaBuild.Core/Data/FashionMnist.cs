using OfaBuild.Core;

namespace OfaBuild.Core.Data;

/// <summary>Fashion-MNIST (Xiao et al. 2017) from Debian's dataset-fashion-mnist package (gzipped IDX files).</summary>
public static class FashionMnist
{
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    public static readonly string[] ClassNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Loads the "train" (60000) or "test" (10000) split as 1x28x28 images.</summary>
    public static ImageDataset Load(string split, string? directory = null)
    {
        directory ??= DefaultDirectory;
        string prefix = split switch
        {
            "train" => "train",
            "test" => "t10k",
            _ => throw new OfaException($"Unknown Fashion-MNIST split '{split}': use 'train' or 'test'."),
        };
        string images = Path.Combine(directory, $"{prefix}-images-idx3-ubyte.gz");
        string labels = Path.Combine(directory, $"{prefix}-labels-idx1-ubyte.gz");
        if (!File.Exists(images) || !File.Exists(labels))
            throw new OfaException($"Fashion-MNIST not found in '{directory}' ({Path.GetFileName(images)}). Install it with 'apt-get install dataset-fashion-mnist' or pass --data-dir.");
        var (idims, pixels) = IdxReader.Read(images);
        var (ldims, lbytes) = IdxReader.Read(labels);
        if (idims.Length != 3 || ldims.Length != 1 || idims[0] != ldims[0])
            throw new OfaFormatException($"'{images}' and '{labels}' do not describe the same number of images.");
        return new ImageDataset(pixels, lbytes.Select(b => (int)b).ToArray(), 1, idims[1], idims[2], ClassNames, $"fashion-mnist/{split}");
    }
}
