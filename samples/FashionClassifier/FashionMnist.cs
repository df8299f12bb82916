using System.IO.Compression;

namespace FashionApp;

/// <summary>The Fashion-MNIST test split from gzipped IDX files (Debian: dataset-fashion-mnist).</summary>
internal static class FashionMnist
{
    public const string DefaultFolder = "/usr/share/datasets/fashion-mnist";

    public static (byte[] Pixels, byte[] Labels, int Count) LoadTest(string folder)
    {
        var pixels = ReadIdx(Path.Combine(folder, "t10k-images-idx3-ubyte.gz"), 3, out int count);
        var labels = ReadIdx(Path.Combine(folder, "t10k-labels-idx1-ubyte.gz"), 1, out int labelCount);
        if (count != labelCount) throw new InvalidDataException($"{folder}: {count} images but {labelCount} labels.");
        return (pixels, labels, count);
    }

    private static byte[] ReadIdx(string path, int dims, out int count)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} not found. Install Fashion-MNIST with `sudo apt-get install dataset-fashion-mnist` or pass its folder as the first argument.");
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var ms = new MemoryStream();
        gz.CopyTo(ms);
        var b = ms.ToArray();
        int BigEndian(int at) => b[at] << 24 | b[at + 1] << 16 | b[at + 2] << 8 | b[at + 3];
        if (BigEndian(0) != 0x800 + dims) throw new InvalidDataException($"{path}: not an IDX file of {dims} dimension(s).");
        count = BigEndian(4);
        int header = 4 + 4 * dims;
        return b[header..];
    }
}
