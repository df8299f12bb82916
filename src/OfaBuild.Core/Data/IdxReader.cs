using System.IO.Compression;
using OfaBuild.Core;

namespace OfaBuild.Core.Data;

/// <summary>Reads the (optionally gzipped) IDX files of MNIST and Fashion-MNIST: big-endian header, unsigned bytes.</summary>
public static class IdxReader
{
    /// <summary>Returns the dimensions and the bytes of an IDX file of unsigned bytes (type 0x08).</summary>
    public static (int[] Dims, byte[] Data) Read(string path)
    {
        if (!File.Exists(path)) throw new OfaException($"IDX file '{path}' does not exist.");
        using var file = File.OpenRead(path);
        using Stream s = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        var b = ms.ToArray();
        if (b.Length < 4 || b[0] != 0 || b[1] != 0)
            throw new OfaFormatException($"'{path}' is not an IDX file (bad magic number).");
        if (b[2] != 0x08)
            throw new OfaFormatException($"'{path}': IDX element type 0x{b[2]:x2} is not supported; only unsigned bytes (0x08).");
        int nd = b[3];
        var dims = new int[nd];
        long count = 1;
        for (int i = 0; i < nd; i++)
        {
            dims[i] = (b[4 + 4 * i] << 24) | (b[5 + 4 * i] << 16) | (b[6 + 4 * i] << 8) | b[7 + 4 * i];
            count *= dims[i];
        }
        int header = 4 + 4 * nd;
        if (b.Length - header != count)
            throw new OfaFormatException($"'{path}': header promises {count} bytes of data, file holds {b.Length - header}.");
        return (dims, b.AsSpan(header).ToArray());
    }
}
