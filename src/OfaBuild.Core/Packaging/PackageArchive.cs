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
    /// Opens the archive and reads its directory; a stream that is not a zip, or one whose directory is damaged, becomes
    /// an error that says what the file is instead (<see cref="NotAPackage"/>).
    /// </summary>
    public static ZipArchive Open(Stream stream, string source)
    {
        ZipArchive? zip = null;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            _ = zip.Entries; // read lazily: a damaged central directory fails here, not at the end record
            return zip;
        }
        catch (InvalidDataException ex)
        {
            zip?.Dispose();
            throw NotAPackage(stream, source, ex);
        }
    }

    /// <summary>The text git-lfs checks out for a file it has not fetched begins so (https://git-lfs.com/spec/v1).</summary>
    private const string LfsPointerStart = "version https://git-lfs.github.com/spec/";

    /// <summary>Every zip (and so every package) begins with a local file header's signature.</summary>
    private static ReadOnlySpan<byte> ZipStart => "PK\u0003\u0004"u8;

    private const string MakeOne = "Make one with `ofa train` or `ofa import`.";

    /// <summary>
    /// The one rule for naming what a file the zip reader refused is, in plain words from its first bytes rather
    /// than the zip reader's wording (which stays the inner exception): empty, a Git LFS pointer (a supernet
    /// committed with LFS and checked out without it: fetch it), a zip that is cut off or damaged, text, or other bytes.
    /// </summary>
    public static OfaFormatException NotAPackage(Stream stream, string source, Exception ex)
    {
        if (!stream.CanSeek)
            return new($"{source} is not a .ofa package: it is not a zip archive (a .ofa package is one). {MakeOne}", ex);
        long length = stream.Length;
        stream.Position = 0;
        var head = new byte[(int)Math.Min(length, 64)];
        stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        const string NotZip = "it is not a zip archive (a .ofa package is one)";
        string message;
        if (length == 0)
            message = $"{source} is not a .ofa package: it is empty. {MakeOne}";
        else if (head.AsSpan().StartsWith(ZipStart))
            message = $"{source} is not a .ofa package: it is a zip archive ({Bytes(length)}) that is cut off or damaged. Copy it again, or make one with `ofa train` or `ofa import`.";
        else if (head.AsSpan().StartsWith(System.Text.Encoding.ASCII.GetBytes(LfsPointerStart)))
            message = $"{source} is a Git LFS pointer, not the .ofa package it stands for: fetch the file with `git lfs pull` (with Git LFS installed).";
        else if (FirstLineIfText(head, truncated: length > head.Length) is { } text)
            message = $"{source} is not a .ofa package: {NotZip} but {Bytes(length)} of text starting with '{text}'. {MakeOne}";
        else
            message = $"{source} is not a .ofa package: {NotZip} but {Bytes(length)} starting with {Convert.ToHexString(head, 0, Math.Min(head.Length, 8)).ToLowerInvariant()} (hex). {MakeOne}";
        return new(message, ex);
    }

    private static string Bytes(long n) => n == 1 ? "1 byte" : $"{n} bytes";

    /// <summary>The first line of the bytes shortened for a message, if they are printable UTF-8 text; else null.</summary>
    private static string? FirstLineIfText(byte[] head, bool truncated)
    {
        var s = System.Text.Encoding.UTF8.GetString(head);
        if (truncated) s = s.TrimEnd('\uFFFD'); // a character cut by the 64-byte window
        if (s.Any(c => c == '\uFFFD' || char.IsControl(c) && c is not ('\n' or '\r' or '\t'))) return null;
        var line = s.Split('\n')[0].TrimEnd('\r');
        return line.Length > 40 ? line[..40] + "..." : line;
    }

    /// <summary>Entries by name; refuses duplicates and names this format does not define.</summary>
    public static Dictionary<string, ZipArchiveEntry> Index(ZipArchive zip, string source)
    {
        var map = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        foreach (var e in zip.Entries) // read by Open, which words a damaged directory
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
