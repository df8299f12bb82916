using System.IO.Compression;

namespace OfaBuild.Core.Packaging;

/// <summary>
/// The zip container of a <c>.ofa</c> package. Entries are written in a fixed order with a fixed
/// time stamp, so equal content gives equal bytes; reading checks every entry's declared size
/// against a cap before allocating, that the entry really holds that many bytes, and its CRC-32.
/// </summary>
internal static class PackageArchive
{
    public const string ManifestEntry = "manifest.json";
    public const string WeightsEntry = "weights.safetensors";
    public const string PredictorEntry = "predictor.safetensors";
    public const string CalibrationEntry = "calibration.safetensors";

    public static IReadOnlyList<string> KnownEntries { get; } = [ManifestEntry, WeightsEntry, PredictorEntry, CalibrationEntry];

    /// <summary>Zip's earliest representable time; a constant keeps the bytes reproducible.</summary>
    private static readonly DateTimeOffset FixedTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static long Cap(string entry) => entry switch
    {
        ManifestEntry => 16L * 1024 * 1024,
        _ => SafeTensorsCap,
    };

    private const long SafeTensorsCap = int.MaxValue - 1024;

    private const long MaxDeflateRatio = 1032;

    /// <summary>
    /// Float tensors barely deflate, so they are stored (fast to read, and the bytes do not depend
    /// on the zlib build); the manifest and calibration images are deflated.
    /// </summary>
    private static CompressionLevel Level(string entry) =>
        entry is WeightsEntry or PredictorEntry ? CompressionLevel.NoCompression : CompressionLevel.Optimal;

    public static byte[] Write(IEnumerable<(string Name, byte[] Bytes)> entries)
    {
        var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                var entry = zip.CreateEntry(name, Level(name));
                entry.LastWriteTime = FixedTime;
                using var s = entry.Open();
                s.Write(bytes);
            }
        }
        return output.ToArray();
    }

    /// <summary>Opens the archive; a stream that is not a zip becomes "&lt;source&gt; is not a .ofa package".</summary>
    public static ZipArchive Open(Stream stream, string source)
    {
        try
        {
            return new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            throw NotAPackage(source, ex);
        }
    }

    public static OfaFormatException NotAPackage(string source, Exception ex) =>
        new($"{source} is not a .ofa package ({ex.Message}). Make one with `ofa train` or `ofa import`.", ex);

    /// <summary>Entries by name; refuses duplicates and names this format does not define.</summary>
    public static Dictionary<string, ZipArchiveEntry> Index(ZipArchive zip, string source)
    {
        var map = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        IReadOnlyCollection<ZipArchiveEntry> entries;
        try
        {
            entries = zip.Entries; // read lazily: a damaged central directory fails here
        }
        catch (InvalidDataException ex)
        {
            throw new OfaFormatException($"{source} is not a .ofa package (damaged zip directory: {ex.Message}).", ex);
        }
        foreach (var e in entries)
        {
            if (!KnownEntries.Contains(e.FullName))
                throw new OfaFormatException($"{source}: unexpected entry '{e.FullName}' in the package; a .ofa package holds only {string.Join(", ", KnownEntries)}.");
            if (!map.TryAdd(e.FullName, e))
                throw new OfaFormatException($"{source}: entry '{e.FullName}' appears twice in the package.");
        }
        return map;
    }

    /// <summary>The entry's bytes, checked against its cap and its declared length.</summary>
    /// <param name="fileLength">Length of the whole package when known (seekable stream).</param>
    public static byte[] ReadEntry(ZipArchiveEntry entry, string source, long? fileLength)
    {
        long cap = Cap(entry.FullName);
        if (entry.Length < 0 || entry.Length > cap)
            throw new OfaFormatException($"{source}: entry '{entry.FullName}' declares {entry.Length} bytes; the limit is {cap}. The package is damaged.");
        // Deflate expands at most ~1032:1, so a larger claim is a damaged or hostile header;
        // this bounds the allocation below by the size of the file itself.
        if (entry.CompressedLength < 0 || entry.Length > entry.CompressedLength * MaxDeflateRatio + 1024)
            throw new OfaFormatException($"{source}: entry '{entry.FullName}' declares {entry.Length} bytes from {entry.CompressedLength} compressed bytes, more than deflate can produce. The package is damaged.");
        if (fileLength is { } total && entry.CompressedLength > total)
            throw new OfaFormatException($"{source}: entry '{entry.FullName}' declares {entry.CompressedLength} compressed bytes in a {total}-byte file. The package is truncated or damaged.");
        var bytes = new byte[entry.Length];
        try
        {
            using var s = entry.Open();
            int read = s.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            if (read != bytes.Length)
                throw new OfaFormatException($"{source}: entry '{entry.FullName}' holds {read} bytes but declares {entry.Length}; the package is truncated or damaged.");
            if (s.ReadByte() != -1)
                throw new OfaFormatException($"{source}: entry '{entry.FullName}' holds more than the {entry.Length} bytes it declares; the package is damaged.");
        }
        catch (InvalidDataException ex)
        {
            throw new OfaFormatException($"{source}: entry '{entry.FullName}' is damaged ({ex.Message}).", ex);
        }
        catch (IOException ex)
        {
            throw new OfaFormatException($"{source}: entry '{entry.FullName}' cannot be read ({ex.Message}); the package is truncated or damaged.", ex);
        }
        uint crc = Crc32.Compute(bytes);
        if (crc != entry.Crc32)
            throw new OfaFormatException($"{source}: entry '{entry.FullName}' fails its checksum (CRC-32 {crc:x8}, recorded {entry.Crc32:x8}); the package is damaged. Re-create or re-download it.");
        return bytes;
    }
}
