using System.IO.Compression;

namespace OfaBuild.Core.IO;

/// <summary>
/// Reads one zip entry without trusting its header, for every zip OfaBuild reads (.ofa packages, torch.save
/// checkpoints): the declared size against a cap and against what deflate can produce from the compressed bytes
/// (and those against the file's size) before anything is allocated, then exactly that many bytes, and the CRC-32,
/// which ZipArchive does not check. Each failure names the file, the entry and what is wrong.
/// </summary>
internal static class ZipEntryReader
{
    /// <summary>Deflate expands at most ~1032:1, so a larger claim is a damaged or hostile header.</summary>
    private const long MaxDeflateRatio = 1032;

    /// <param name="source">The file, for messages.</param>
    /// <param name="cap">Largest size accepted for this entry.</param>
    /// <param name="fileLength">Length of the whole file when known (seekable stream).</param>
    /// <param name="container">What the file is, for messages: "package", "checkpoint".</param>
    public static byte[] Read(ZipArchiveEntry entry, string source, long cap, long? fileLength, string container)
    {
        string name = entry.FullName;
        if (entry.Length < 0 || entry.Length > cap)
            throw new OfaFormatException($"{source}: entry '{name}' declares {entry.Length} bytes; the limit is {cap}. The {container} is damaged.");
        if (entry.CompressedLength < 0 || entry.Length > entry.CompressedLength * MaxDeflateRatio + 1024)
            throw new OfaFormatException($"{source}: entry '{name}' declares {entry.Length} bytes from {entry.CompressedLength} compressed bytes, more than deflate can produce. The {container} is damaged.");
        if (fileLength is { } total && entry.CompressedLength > total)
            throw new OfaFormatException($"{source}: entry '{name}' declares {entry.CompressedLength} compressed bytes in a {total}-byte file. The {container} is truncated or damaged.");
        var bytes = new byte[entry.Length];
        try
        {
            using var s = entry.Open();
            int read = s.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            if (read != bytes.Length)
                throw new OfaFormatException($"{source}: entry '{name}' holds {read} bytes but declares {entry.Length}; the {container} is truncated or damaged.");
            if (s.ReadByte() != -1)
                throw new OfaFormatException($"{source}: entry '{name}' holds more than the {entry.Length} bytes it declares; the {container} is damaged.");
        }
        catch (Exception ex) when (ex is InvalidDataException or NotSupportedException)
        {
            throw new OfaFormatException($"{source}: entry '{name}' is damaged ({ex.Message}).", ex);
        }
        catch (IOException ex)
        {
            throw new OfaFormatException($"{source}: entry '{name}' cannot be read ({ex.Message}); the {container} is truncated or damaged.", ex);
        }
        uint crc = Crc32.Compute(bytes);
        if (crc != entry.Crc32)
            throw new OfaFormatException($"{source}: entry '{name}' fails its checksum (CRC-32 {crc:x8}, recorded {entry.Crc32:x8}); the {container} is damaged. Re-create or re-download it.");
        return bytes;
    }
}
