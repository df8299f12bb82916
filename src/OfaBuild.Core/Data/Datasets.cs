using OfaBuild.Core.Packaging;

namespace OfaBuild.Core.Data;

/// <summary>
/// A --dataset argument: "fashion-mnist", or a folder with one sub-folder per label (or train/, test/ and
/// optionally val/ holding such folders). Image folders are read with <see cref="Decoder"/> (JPEG, PNG, ...:
/// every image fitted to <see cref="Size"/> x <see cref="Size"/> with <see cref="Channels"/> channels); without
/// one, folders of same-size PGM/PPM images are read as they are (and with one too, <see cref="ForEvaluation"/>).
/// </summary>
public sealed record DatasetSource(string Dataset, string? DataDir = null, IImageDecoder? Decoder = null)
{
    public bool IsFashionMnist => Dataset.Equals("fashion-mnist", StringComparison.OrdinalIgnoreCase);

    /// <summary>Channels and side images are decoded to (set once known, from the training images or the package).</summary>
    public int? Channels { get; init; }
    public int? Size { get; init; }
    /// <summary>A package's recorded centre crop, which the images then follow (else the reference's preprocessing).</summary>
    public double? CenterCrop { get; init; }

    /// <summary>
    /// Read to evaluate a package (measure, eval, regret, quantize), not to train one: a folder of PGM/PPM images of one
    /// size is then read as it is by both tools, so they measure alike and the network gets what an app's Prepare makes
    /// of those pixels; training fits every image to a stored square (<see cref="Size"/>) for memory and speed, and a
    /// folder the build-host tool cannot read (JPEG, PNG, mixed sizes) is decoded so for evaluation too.
    /// </summary>
    public bool ForEvaluation { get; init; }

    /// <summary>
    /// Read for calibration images (BN recalibration, int8 ranges), whose labels nothing reads: a folder of images without
    /// label sub-folders is then one class. Training and measuring need labels, so a --dataset folder must have them.
    /// </summary>
    public bool Unlabelled { get; init; }

    /// <summary>The folder of a split ("train", "test", "val"); the dataset folder itself is the train split when it has no train/.</summary>
    public string? SplitFolder(string split)
    {
        if (IsFashionMnist) return null;
        if (!Directory.Exists(Dataset))
            throw new OfaException($"Unknown dataset '{Dataset}': use 'fashion-mnist' or a folder with one sub-folder per label (optionally under train/, test/ and val/).");
        var sub = Path.Combine(Dataset, split);
        if (Directory.Exists(sub))
        {
            if (split == "train") RefuseFoldersBesideTrain();
            return sub;
        }
        return split == "train" ? Dataset : null;
    }

    /// <summary>
    /// Beside train/, only test/ and val/ are read: another folder (class folders left at the top, a validation/) or images
    /// left at the top would be skipped without a word.
    /// </summary>
    private void RefuseFoldersBesideTrain()
    {
        if (ImageFolderIndex.LooseImages(Dataset, ImageFolderIndex.ImageExtensions) is { } loose)
            throw new OfaException($"'{Dataset}' has a train/ folder, so only the label folders in its train/, test/ and val/ are read, but it holds {loose} "
                + "which would not be: move them into a label folder under train/ (or test/, val/), or out of the dataset.");
        var others = ImageFolderIndex.ClassFolders(Dataset).Where(f => f is not ("train" or "test" or "val")).ToArray();
        if (others.Length > 0)
            throw new OfaException($"'{Dataset}' has a train/ folder, so only its train/, test/ and val/ are read, but it also holds {string.Join(", ", others.Select(f => $"'{f}'"))}: "
                + "move class folders into train/, rename a split to test/ or val/ (the hold-out), or move the folder out.");
    }

    public bool HasSplit(string split) => IsFashionMnist ? split is "train" or "test" : SplitFolder(split) is not null;

    /// <summary>Loads a split as stored ("train", "test", "val"); the hold-out is taken out by <see cref="DatasetSplits"/>.</summary>
    public ImageDataset Load(string split)
    {
        if (IsFashionMnist)
        {
            if (split == "val") throw new OfaException("Fashion-MNIST has no val split; its hold-out is taken from the training images (--holdout).");
            return FashionMnist.Load(split, DataDir);
        }
        var folder = SplitFolder(split) ?? throw new OfaException($"Dataset '{Dataset}' has no {split}/ folder.");
        var loaded = LoadFolder(folder);
        // val/ and test/ take the training classes' indices by name (each folder alone would number its own).
        return split == "train" ? loaded : loaded.WithClassesOf(ImageFolderIndex.ClassFolders(SplitFolder("train")!));
    }

    private ImageDataset LoadFolder(string folder)
    {
        var loaded = Decoder is null ? ImageFolder.Load(folder, Channels, Unlabelled) : Decode(ImageFolderIndex.Scan(folder, Decoder, Unlabelled));
        return CenterCrop is { } crop ? loaded.WithPreprocessing(InputPreprocessing.FromCenterCrop(crop)) : loaded;
    }

    private ImageDataset Decode(ImageFolderIndex index)
    {
        if (ForEvaluation && index.IsNetpbmOfOneSize) return ImageFolder.Load(index, Channels);
        int size = Size ?? throw new InvalidOperationException("Set the decoding size before loading an image folder.");
        return index.Decode(Decoder!, Channels ?? index.Channels, size);
    }
}

/// <summary>The training images (without the hold-out), the held-out images and the test images of a dataset.</summary>
public sealed record DatasetSplits(ImageDataset Train, ImageDataset? Holdout, ImageDataset? Test, HoldoutInfo? HoldoutInfo)
{
    /// <summary>
    /// For training: a val/ folder is the hold-out; otherwise <paramref name="holdout"/> ("10000", "0.1", "10%", "0" for none)
    /// of the training images, by default 10,000 for Fashion-MNIST and none for a folder.
    /// </summary>
    public static DatasetSplits ForTraining(DatasetSource source, string? holdout)
    {
        var all = source.Load("train");
        var test = source.HasSplit("test") ? source.Load("test") : null;
        if (source.HasSplit("val"))
        {
            if (holdout is not null) throw new OfaException($"'{source.Dataset}' has a val/ folder, which is the hold-out; drop --holdout or the folder.");
            var val = source.Load("val");
            return new(all, val, test, new HoldoutInfo { Count = val.Count, Source = source.Dataset, Folder = "val" });
        }
        int n = holdout is not null ? HoldoutSplit.ParseCount(holdout, all.Count)
            : source.IsFashionMnist ? HoldoutSplit.FashionMnistImages : 0;
        if (n == 0) return new(all, null, test, null);
        var (train, held, indices) = HoldoutSplit.Split(all, n);
        return new(train, held, test, new HoldoutInfo
        {
            Count = n, Source = all.Source, Of = all.Count, Seed = HoldoutSplit.Seed, IndicesSha256 = HoldoutSplit.Hash(indices),
        });
    }

    /// <summary>
    /// For a trained package: the same hold-out again (checked against the recorded hash, so a changed folder is
    /// an error rather than a silent leak of training images into the evaluation).
    /// </summary>
    public static DatasetSplits ForPackage(DatasetSource source, HoldoutInfo? info, string packagePath)
    {
        var all = source.Load("train");
        var test = source.HasSplit("test") ? source.Load("test") : null;
        if (info is null) return new(all, null, test, null);
        if (info.Folder is { } folder)
        {
            var heldFolder = source.Load(folder);
            if (heldFolder.Count != info.Count)
                throw new OfaException($"'{packagePath}' held out the {info.Count} images of the {folder}/ folder of {source.Dataset}; it now has {heldFolder.Count}. Evaluate on the images the package was trained with.");
            return new(all, heldFolder, test, info);
        }
        if (info.Of != all.Count)
            throw new OfaException($"'{packagePath}' held out {info.Count} of {info.Of} training images of {info.Source}; '{source.Dataset}' has {all.Count}. Evaluate on the dataset the package was trained on.");
        var (train, held, indices) = HoldoutSplit.Split(all, info.Count, info.Seed ?? HoldoutSplit.Seed);
        if (HoldoutSplit.Hash(indices) != info.IndicesSha256)
            throw new OfaException($"'{packagePath}': the hold-out recomputed from '{source.Dataset}' does not match the recorded one (indices_sha256); the images changed since training.");
        return new(train, held, test, info);
    }

    /// <summary>What to do when a dataset has neither a hold-out nor a test split (nothing to evaluate or measure on).</summary>
    public const string NoEvaluationImagesFix = "train with --holdout 10% (or a val/ folder beside train/) to have images to measure on";

    /// <summary>A split's name as measurements record it: "val" (the folder a hold-out may come from) is the hold-out.</summary>
    public static string Canonical(string split) => split == "val" ? "holdout" : split;

    /// <summary>"train", "holdout" (or "val") or "test"; names what is missing.</summary>
    public ImageDataset Get(string split) => Canonical(split) switch
    {
        "train" => Train,
        "holdout" => Holdout ?? throw new OfaException("This package records no hold-out (trained without --holdout, or by an older tool); measure on the test split, or retrain with --holdout."),
        "test" => Test ?? throw new OfaException("The dataset has no test split (a test/ folder beside train/)"
            + (Holdout is null ? $" and the package records no hold-out: {NoEvaluationImagesFix}." : "; evaluate on the hold-out (--split holdout), or add a test/ folder.")),
        _ => throw new OfaException($"Unknown split '{split}': use holdout, test or train."),
    };
}
