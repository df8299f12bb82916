using System.Text;
using OfaBuild.Core;
using OfaBuild.Runtime;

namespace OfaBuild.Core.Data;

/// <summary>
/// A folder with one sub-folder per label (sorted by name = class index), holding binary PGM (P5, grey)
/// or PPM (P6, RGB) images, 8 bits per sample, all of the same size, read without any native decoder (the
/// build-host tool's reader, and both tools' for evaluating such a folder: the pixels as an app's Prepare gets them).
/// JPEG, PNG and images of any size go through <see cref="ImageFolderIndex"/> and a decoder.
/// </summary>
public static class ImageFolder
{
    /// <summary>
    /// The images as they are, in <paramref name="channels"/> channels when given (grey repeated, colour to luma: the
    /// runtime's rule, as an app's Prepare reads grey or RGB pixels), else in the images' own. With <paramref name="unlabelled"/>,
    /// a folder without class sub-folders is one class (<see cref="ImageFolderIndex.List"/>).
    /// </summary>
    public static ImageDataset Load(string root, int? channels = null, bool unlabelled = false)
    {
        // The same files as the full tool's ImageFolderIndex (JPEG, PNG, ... among them then fail naming that tool).
        var (classes, files, labels) = ImageFolderIndex.List(root, ImageFolderIndex.ImageExtensions, unlabelled);
        return Read(root, classes, files, labels, channels);
    }

    /// <summary>The images an index lists (all PGM/PPM: <see cref="ImageFolderIndex.IsNetpbmOfOneSize"/>) as <see cref="Load(string, int?, bool)"/> reads them.</summary>
    public static ImageDataset Load(ImageFolderIndex index, int? channels) => Read(index.Root, index.ClassNames, index.Files, index.Labels, channels);

    private static ImageDataset Read(string root, IReadOnlyList<string> classes, IReadOnlyList<string> files, IReadOnlyList<int> labels, int? channels)
    {
        var pixels = new List<byte>();
        int c0 = -1, h0 = -1, w0 = -1;
        foreach (var file in files)
        {
            var (c, h, w, data) = ReadNetpbm(file, channels);
            if (c0 < 0) { c0 = c; h0 = h; w0 = w; }
            else if (c != c0 || h != h0 || w != w0)
                throw new OfaException($"'{file}' is {c}x{h}x{w}; the first image was {c0}x{h0}x{w0}. Resize the images to one size.");
            pixels.AddRange(data);
        }
        if (labels.Count == 0) throw new OfaException($"Image folder '{root}' holds no images.");
        return new ImageDataset(pixels.ToArray(), labels.ToArray(), c0, h0, w0, classes, root) { Reading = AsStored };
    }

    /// <summary>
    /// What measured files record of images read here (<see cref="ImageDataset.Reading"/>): a file the full tool measured
    /// on the same folder before it read PGM/PPM so (from stored squares) then differs, and is refused rather than mixed.
    /// </summary>
    public const string AsStored = "PGM/PPM read as stored";

    /// <summary>Whether <paramref name="path"/> is named as a PGM/PPM image (which <see cref="ReadNetpbm"/> reads).</summary>
    public static bool IsNetpbm(string path) => Path.GetExtension(path).ToLowerInvariant() is ".pgm" or ".ppm";

    /// <summary>
    /// Decodes binary PGM/PPM with maxval 255 into planar [C, H, W] bytes: the image's channels, or
    /// <paramref name="channels"/> (1 or 3) by the runtime's rule (<see cref="PixelLayout"/>).
    /// </summary>
    public static (int C, int H, int W, byte[] Data) ReadNetpbm(string path, int? channels = null)
    {
        var b = File.ReadAllBytes(path);
        int pos = 0;
        string Token()
        {
            while (pos < b.Length)
            {
                if (b[pos] == '#') { while (pos < b.Length && b[pos] != '\n') pos++; }
                else if (char.IsWhiteSpace((char)b[pos])) pos++;
                else break;
            }
            int start = pos;
            while (pos < b.Length && !char.IsWhiteSpace((char)b[pos])) pos++;
            return Encoding.ASCII.GetString(b, start, pos - start);
        }
        string magic = Token();
        if (magic is not ("P5" or "P6"))
            throw new OfaException($"'{path}' is not a binary PGM/PPM image (P5/P6): this reader takes PGM/PPM only; the ofa .NET tool (src/OfaBuild.Tool) reads JPEG, PNG, BMP, WebP and GIF.");
        if (!int.TryParse(Token(), out int w) || !int.TryParse(Token(), out int h) || !int.TryParse(Token(), out int max) || w <= 0 || h <= 0)
            throw new OfaFormatException($"'{path}': damaged PGM/PPM header.");
        if (max != 255) throw new OfaException($"'{path}': maxval {max} is not supported; save 8-bit images (maxval 255).");
        pos++; // the single whitespace after maxval
        if (channels is not (null or 1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "PGM/PPM images feed 1 or 3 channels.");
        int c = magic == "P5" ? 1 : 3, model = channels ?? c;
        if (b.Length - pos < c * h * w) throw new OfaFormatException($"'{path}': truncated image data.");
        var data = new byte[model * h * w];
        PixelLayout.Interleaved(c == 1 ? OfaPixelFormat.Gray8 : OfaPixelFormat.Rgb24, c * w, model).ToPlanar(b.AsSpan(pos, c * h * w), h, w, model, data);
        return (model, h, w, data);
    }
}
