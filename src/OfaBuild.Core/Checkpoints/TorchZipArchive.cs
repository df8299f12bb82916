using System.IO.Compression;
using OfaBuild.Core.IO;

namespace OfaBuild.Core.Checkpoints;

/// <summary>
/// The zip container <c>torch.save</c> writes (PyTorch >= 1.6): <c>&lt;archive&gt;/data.pkl</c>, the tensors'
/// storages at <c>&lt;archive&gt;/data/&lt;key&gt;</c> and <c>&lt;archive&gt;/byteorder</c>. The folder name varies
/// (it is the file's stem when saved). Entry sizes are checked before anything is allocated.
/// </summary>
internal sealed class TorchZipArchive : ITorchStorages, IDisposable
{
    /// <summary>A state-dict pickle is ~200 bytes per tensor; 64 MiB is far beyond any real one.</summary>
    public const long MaxPickleBytes = 64L << 20;

    private readonly ZipArchive _zip;
    private readonly Dictionary<string, ZipArchiveEntry> _entries;

    public string Source { get; }

    /// <summary>The archive's folder, e.g. <c>supernet_state_dict</c>.</summary>
    public string Prefix { get; }

    /// <summary>Sum of the declared sizes of all storage entries (bounds how much the tensors may expand to).</summary>
    public long StorageBytes { get; }

    private readonly long? _archiveBytes;

    private TorchZipArchive(ZipArchive zip, Dictionary<string, ZipArchiveEntry> entries, string source, string prefix, long storageBytes, long? archiveBytes)
    {
        _zip = zip;
        _archiveBytes = archiveBytes;
        _entries = entries;
        Source = source;
        Prefix = prefix;
        StorageBytes = storageBytes;
    }

    public static TorchZipArchive Open(Stream stream, string source)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
        {
            throw new OfaFormatException($"{source}: not a readable torch.save zip archive (truncated or damaged?): {e.Message}", e);
        }

        try
        {
            var entries = ReadDirectory(zip, source);

            var pickles = entries.Keys.Where(n => n.EndsWith("/data.pkl", StringComparison.Ordinal) && n.IndexOf('/') == n.Length - "/data.pkl".Length).ToList();
            if (pickles.Count != 1)
                throw new OfaFormatException(pickles.Count == 0
                    ? $"{source}: no '<archive>/data.pkl' in the zip; this is not a torch.save checkpoint (save it with torch.save(model.state_dict(), path))."
                    : $"{source}: the zip holds {pickles.Count} 'data.pkl' entries ({string.Join(", ", pickles)}); expected one.");
            string prefix = pickles[0][..^"/data.pkl".Length];

            CheckByteOrder(entries, prefix, source);
            long storageBytes = 0;
            foreach (var (name, e) in entries)
                if (name.StartsWith(prefix + "/data/", StringComparison.Ordinal))
                    storageBytes += e.Length;
            return new TorchZipArchive(zip, entries, source, prefix, storageBytes, stream.CanSeek ? stream.Length : null);
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    private static Dictionary<string, ZipArchiveEntry> ReadDirectory(ZipArchive zip, string source)
    {
        var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        try
        {
            // The central directory is parsed lazily, on first access to Entries.
            foreach (var e in zip.Entries)
                if (!entries.TryAdd(e.FullName, e))
                    throw new OfaFormatException($"{source}: the zip archive holds '{e.FullName}' twice; the file is damaged or crafted.");
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
        {
            throw new OfaFormatException($"{source}: the zip directory cannot be read (truncated or damaged file): {e.Message}", e);
        }
        return entries;
    }

    /// <summary>The bytes of <c>data.pkl</c>.</summary>
    public byte[] ReadPickle() => ReadEntry(_entries[Prefix + "/data.pkl"], MaxPickleBytes);

    byte[] ITorchStorages.ReadStorage(StorageRef storage, long expectedBytes) => ReadStorage(storage.Key, expectedBytes);

    /// <summary>The bytes of storage <paramref name="key"/>, which must be exactly <paramref name="expectedBytes"/> long.</summary>
    public byte[] ReadStorage(string key, long expectedBytes)
    {
        string name = $"{Prefix}/data/{key}";
        if (!_entries.TryGetValue(name, out var entry))
            throw new OfaFormatException($"{Source}: the pickle refers to storage '{key}' but the zip has no '{name}'; the file is truncated or damaged.");
        if (entry.Length != expectedBytes)
            throw new OfaFormatException($"{Source}: storage '{name}' holds {entry.Length} bytes but the pickle declares {expectedBytes}; the file is damaged.");
        return ReadEntry(entry, Array.MaxLength);
    }

    private byte[] ReadEntry(ZipArchiveEntry entry, long maxBytes) => ZipEntryReader.Read(entry, Source, maxBytes, _archiveBytes, "checkpoint");

    private static void CheckByteOrder(Dictionary<string, ZipArchiveEntry> entries, string prefix, string source)
    {
        // Files from PyTorch < 1.10 have no byteorder record and are little-endian.
        if (!entries.TryGetValue(prefix + "/byteorder", out var entry)) return;
        if (entry.Length > 16)
            throw new OfaFormatException($"{source}: '{entry.FullName}' declares {entry.Length} bytes; expected 'little'.");
        string order;
        try
        {
            using var reader = new StreamReader(entry.Open());
            order = reader.ReadToEnd().Trim();
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
        {
            throw new OfaFormatException($"{source}: cannot read '{entry.FullName}' (truncated or damaged file): {e.Message}", e);
        }
        if (order == "big")
            throw new OfaFormatException($"{source}: the checkpoint was saved on a big-endian machine; only little-endian checkpoints are supported (re-save it on a little-endian machine).");
        if (order != "little")
            throw new OfaFormatException($"{source}: '{entry.FullName}' says '{(order.Length > 16 ? order[..16] : order)}'; expected 'little'.");
    }

    public void Dispose() => _zip.Dispose();
}
