using System.IO.Compression;
using System.Runtime.InteropServices;

namespace OfaBuild.Core.Tests.Checkpoints;

/// <summary>Builds torch.save-style zip checkpoints in memory (stored entries under one folder, like PyTorch).</summary>
internal static class TorchZipBuilder
{
    public static byte[] Zip(string archive, byte[] pickle, IReadOnlyDictionary<string, byte[]> storages, string? byteorder = "little")
    {
        var entries = new List<(string, byte[])> { ($"{archive}/data.pkl", pickle) };
        if (byteorder is not null) entries.Add(($"{archive}/byteorder", System.Text.Encoding.ASCII.GetBytes(byteorder)));
        foreach (var (key, bytes) in storages) entries.Add(($"{archive}/data/{key}", bytes));
        entries.Add(($"{archive}/version", "3\n"u8.ToArray()));
        return Entries(entries);
    }

    public static byte[] Entries(IEnumerable<(string Name, byte[] Bytes)> entries)
    {
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, bytes) in entries)
            {
                using var s = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
                s.Write(bytes);
            }
        return ms.ToArray();
    }

    public static byte[] Floats(params float[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    public static byte[] Longs(params long[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    /// <summary>A small valid state dict: 'w' [2,3] F32 (storage 0), 'b' [3] F32 (storage 1), 'n' [] I64 (storage 2).</summary>
    public static (byte[] Pickle, Dictionary<string, byte[]> Storages) SmallStateDict()
    {
        var p = new PickleBuilder().Proto().NewOrderedDict().Put(0).Mark();
        p.Str("w").Tensor("FloatStorage", "0", 6, 0, [2, 3], [3, 1]);
        p.Str("b").Tensor("FloatStorage", "1", 3, 0, [3], [1]);
        p.Str("n").Tensor("LongStorage", "2", 1, 0, [], []);
        p.SetItems();
        // _metadata state on the OrderedDict, as torch.save writes it.
        p.EmptyDict().Str("_metadata").NewOrderedDict().Str("").EmptyDict().Str("version").Int(1).SetItem().SetItem().SetItem().Build();
        p.Stop();
        var storages = new Dictionary<string, byte[]>
        {
            ["0"] = Floats(1, 2, 3, 4, 5, 6),
            ["1"] = Floats(-1, 0.5f, 7),
            ["2"] = Longs(42),
        };
        return (p.ToArray(), storages);
    }

    public static Stream Stream(byte[] bytes) => new MemoryStream(bytes, writable: false);
}
