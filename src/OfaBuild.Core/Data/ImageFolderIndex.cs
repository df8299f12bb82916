namespace OfaBuild.Core.Data;

/// <summary>
/// The files of an image folder (one sub-folder per label, sorted by name = class index; files sorted by name)
/// and their headers, before any pixel is decoded: enough to choose the channels and the resolutions.
/// </summary>
public sealed record ImageFolderIndex(string Root, IReadOnlyList<string> ClassNames, IReadOnlyList<string> Files,
    IReadOnlyList<int> Labels, IReadOnlyList<ImageHeader> Headers)
{
    /// <summary>3 if any image is in colour, else 1.</summary>
    public int Channels => Headers.Any(h => !h.Grey) ? 3 : 1;

    /// <summary>The median of the images' shorter sides.</summary>
    public int MedianShortSide
    {
        get
        {
            var sides = Headers.Select(h => Math.Min(h.Width, h.Height)).Order().ToArray();
            return sides[sides.Length / 2];
        }
    }

    /// <summary>
    /// Whether every image is PGM/PPM and all have one size: a folder the build-host tool reads as it is
    /// (<see cref="ImageFolder"/>), which evaluation then reads so in the full tool too.
    /// </summary>
    public bool IsNetpbmOfOneSize =>
        Files.All(ImageFolder.IsNetpbm) && Headers.Select(h => (h.Width, h.Height)).Distinct().Count() == 1;

    /// <summary>
    /// Lists <paramref name="root"/>; a missing folder, a folder without classes or a class without images is an error naming it.
    /// With <paramref name="unlabelled"/>, a folder of images without class sub-folders is read as one class (see <see cref="List"/>).
    /// </summary>
    public static ImageFolderIndex Scan(string root, IImageDecoder decoder, bool unlabelled = false)
    {
        var (classes, files, labels) = List(root, decoder.Extensions, unlabelled);
        var headers = new ImageHeader[files.Count];
        OfaParallel.For(files.Count, i => headers[i] = decoder.ReadHeader(files[i]));
        return new ImageFolderIndex(root, classes, files, labels, headers);
    }

    /// <summary>
    /// The class sub-folders of <paramref name="root"/>, their images and each image's class index: the one listing both
    /// tools read a folder by. With <paramref name="unlabelled"/> (calibration images, whose labels nothing reads), a folder
    /// without class sub-folders is one class, named after the folder, of the images it holds itself.
    /// </summary>
    public static (IReadOnlyList<string> Classes, IReadOnlyList<string> Files, IReadOnlyList<int> Labels) List(
        string root, IReadOnlyCollection<string> extensions, bool unlabelled = false)
    {
        if (!Directory.Exists(root)) throw new OfaException($"Image folder '{root}' does not exist.");
        var classes = ClassFolders(root);
        if (classes.Length == 0)
        {
            if (!unlabelled)
                throw new OfaException($"Image folder '{root}' has no class sub-folders; put each label's images in a sub-folder named after the label.");
            var own = ImageFiles(root, extensions);
            if (own.Length == 0)
                throw new OfaException($"Image folder '{root}' holds no images ({string.Join(", ", extensions.Order())}) and no sub-folders of them; add images to it.");
            return ([Path.GetFileName(Path.TrimEndingDirectorySeparator(root))], own, new int[own.Length]);
        }
        if (LooseImages(root, extensions) is { } loose)
            throw new OfaException($"Image folder '{root}' holds {loose} beside its label folders ({string.Join(", ", classes)}), and only images in a label folder are read: "
                + "move them into a label folder, or out of the dataset.");
        var files = new List<string>();
        var labels = new List<int>();
        for (int label = 0; label < classes.Length; label++)
        {
            var dir = Path.Combine(root, classes[label]);
            var images = ImageFiles(dir, extensions);
            if (images.Length == 0) throw NoImages(root, dir, extensions);
            files.AddRange(images);
            labels.AddRange(Enumerable.Repeat(label, images.Length));
        }
        return (classes, files, labels);
    }

    /// <summary>The file extensions (lower case) of the images an image folder holds: what the full tool decodes; the build-host tool reads PGM/PPM of them.</summary>
    public static IReadOnlyCollection<string> ImageExtensions { get; } = new HashSet<string> { ".jpg", ".jpeg", ".png", ".bmp", ".webp", ".gif", ".pgm", ".ppm" };

    /// <summary>
    /// The images of a class folder, sorted by name: files with one of <paramref name="extensions"/> (any case), hidden
    /// ones (.name) skipped, so a README.txt or a .DS_Store beside the images is not read by either tool.
    /// </summary>
    public static string[] ImageFiles(string classFolder, IReadOnlyCollection<string> extensions) =>
        Directory.GetFiles(classFolder)
            .Where(f => !Path.GetFileName(f).StartsWith('.') && extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// The image files <paramref name="folder"/> holds itself, where only its sub-folders are read (label or split folders),
    /// as "200 image files of its own, e.g. 'IMG_0001.jpg'"; null when it holds none. Other files (a README.txt, a .DS_Store)
    /// are not images and stay unread without a word; images are refused rather than skipped, as their owner meant them read.
    /// </summary>
    public static string? LooseImages(string folder, IReadOnlyCollection<string> extensions)
    {
        var loose = ImageFiles(folder, extensions);
        return loose.Length == 0 ? null
            : $"{loose.Length} image file{(loose.Length == 1 ? "" : "s")} of its own, e.g. '{Path.GetFileName(loose[0])}',";
    }

    /// <summary>
    /// The error for a class folder without images. When its own sub-folders hold images the layout is one level off,
    /// and it says which way: a test/ or val/ folder beside class folders but no train/ (the other folders are then the
    /// training classes), or the image folder itself passed one level up.
    /// </summary>
    public static OfaException NoImages(string root, string classFolder, IReadOnlyCollection<string> extensions)
    {
        var inner = ClassFolders(classFolder).Where(c => ImageFiles(Path.Combine(classFolder, c), extensions).Length > 0).ToArray();
        string name = Path.GetFileName(classFolder);
        if (inner.Length > 0 && name is "test" or "val")
            return new OfaException($"'{classFolder}' holds class folders ({string.Join(", ", inner)}) as a {name}/ split does, but '{root}' has no train/ folder, "
                + $"so its other sub-folders are read as the training classes; move them into '{Path.Combine(root, "train")}'.");
        if (inner.Length > 0)
            return new OfaException($"Class folder '{classFolder}' holds no images but folders of them ({string.Join(", ", inner)}), as an image folder does; "
                + $"pass --dataset {classFolder}.");
        return new OfaException($"Class folder '{classFolder}' holds no images ({string.Join(", ", extensions.Order())}); add images or remove the folder.");
    }

    /// <summary>The class sub-folders of <paramref name="root"/> (hidden ones skipped), sorted by name: the class indices.</summary>
    public static string[] ClassFolders(string root) =>
        Directory.GetDirectories(root).Select(d => Path.GetFileName(d)!).Where(n => !n.StartsWith('.')).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Decodes every image to [channels, size, size] (see <see cref="IImageDecoder.DecodeSquare"/>) with the reference's preprocessing.</summary>
    public ImageDataset Decode(IImageDecoder decoder, int channels, int size)
    {
        int per = channels * size * size;
        var pixels = new byte[(long)Files.Count * per];
        OfaParallel.For(Files.Count, i =>
        {
            var image = decoder.DecodeSquare(Files[i], channels, size);
            if (image.Length != per)
                throw new OfaException($"'{Files[i]}' decoded to {image.Length} bytes, not {channels}x{size}x{size}.");
            image.CopyTo(pixels.AsSpan((int)((long)i * per)));
        });
        return new ImageDataset(pixels, Labels.ToArray(), channels, size, size, ClassNames, Root) { Preprocessing = InputPreprocessing.Reference };
    }
}
