using OfaBuild.Core;

namespace OfaBuild.Core.Data;

/// <summary>Resolves a --dataset argument: "fashion-mnist", or a folder of images (its "train"/"test" sub-folder when present).</summary>
public static class Datasets
{
    public static ImageDataset Load(string dataset, string split, string? dataDir = null)
    {
        if (dataset.Equals("fashion-mnist", StringComparison.OrdinalIgnoreCase))
            return FashionMnist.Load(split, dataDir);
        if (Directory.Exists(dataset))
        {
            var sub = Path.Combine(dataset, split);
            return ImageFolder.Load(Directory.Exists(sub) ? sub : dataset);
        }
        throw new OfaException($"Unknown dataset '{dataset}': use 'fashion-mnist' or a folder with one sub-folder per label (optionally under train/ and test/).");
    }
}
