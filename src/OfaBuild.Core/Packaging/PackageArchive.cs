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

    /// <summary>
    /// Opens the archive; a stream that is not a zip becomes "&lt;source&gt; is not a .ofa package", and a Git LFS pointer
    /// (a supernet committed with LFS, checked out without it) says to fetch the file.
    /// </summary>
    public static ZipArchive Open(Stream stream, string source)
    {
        try
        {
            return new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            if (IsLfsPointer(stream))
                throw new OfaFormatException($"{source} is a Git LFS pointer, not the .ofa package it stands for: fetch the file with `git lfs pull` (with Git LFS installed).", ex);
            throw NotAPackage(source, ex);
        }
    }

    /// <summary>The text git-lfs checks out for a file it has not fetched begins so (https://git-lfs.com/spec/v1).</summary>
    private const string LfsPointerStart = "version https://git-lfs.github.com/spec/";

    private static bool IsLfsPointer(Stream stream)
    {
        if (!stream.CanSeek) return false;
        stream.Position = 0;
        var head = new byte[LfsPointerStart.Length];
        stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return System.Text.Encoding.ASCII.GetString(head) == LfsPointerStart;
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

    /// <summary>The entry's bytes, checked against its cap, its declared length and its CRC-32.</summary>
    /// <param name="fileLength">Length of the whole package when known (seekable stream).</param>
    public static byte[] ReadEntry(ZipArchiveEntry entry, string source, long? fileLength) =>
        IO.ZipEntryReader.Read(entry, source, Cap(entry.FullName), fileLength, "package");
}
