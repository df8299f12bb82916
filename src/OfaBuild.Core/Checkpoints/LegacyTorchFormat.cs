using System.Buffers.Binary;

namespace OfaBuild.Core.Checkpoints;

/// <summary>
/// The legacy <c>torch.save</c> format (PyTorch &lt; 1.6), in which the OFA model zoo and the tutorial's
/// <c>acc_predictor.pth</c> ship: five pickles in a row (magic number, protocol version 1001, system info,
/// the object, the list of storage keys), then every storage in that order as an 8-byte little-endian
/// element count and its raw bytes. The object pickle is read by the same <see cref="RestrictedUnpickler"/>
/// and <see cref="TorchPickleHost"/> as the zip format, so nothing in it runs; storage locations such as
/// <c>cuda:0</c> are ignored (everything is read to the CPU).
/// </summary>
internal static class LegacyTorchFormat
{
    /// <summary><c>pickle.dumps(0x1950a86a20f9469cfc6c, protocol=2)</c>: torch.serialization's MAGIC_NUMBER.</summary>
    private static readonly byte[] MagicPickle = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e];

    private const long ProtocolVersion = 1001;

    /// <summary>True when <paramref name="head"/> (the file's first bytes) starts with a pickle, as the legacy format does; a zip starts with "PK".</summary>
    public static bool LooksLegacy(ReadOnlySpan<byte> head) => head.Length >= 2 && head[0] == PickleOpcodes.Proto;

    /// <summary>The root object of the file (a state dict or a dict holding one).</summary>
    public static object? Load(byte[] data, string source)
    {
        if (!data.AsSpan().StartsWith(MagicPickle))
            throw new OfaFormatException($"{source}: starts with a pickle but not with torch.save's magic number; it is not a PyTorch checkpoint (or it is damaged).");
        int pos = MagicPickle.Length;
        var plain = new PlainHost(source);

        var version = RestrictedUnpickler.Load(data, pos, source, plain, out pos);
        if (version is not ProtocolVersion)
            throw new OfaFormatException($"{source}: legacy torch.save protocol version {PickleValues.Describe(version)} is not supported (expected {ProtocolVersion}).");
        var sysInfo = RestrictedUnpickler.Load(data, pos, source, plain, out pos);
        if (sysInfo is not PickleDict info || !info.TryGet("little_endian", out var little) || little is not bool)
            throw new OfaFormatException($"{source}: the legacy header's system info is {PickleValues.Describe(sysInfo)}, not a dict with 'little_endian'; the file is damaged.");
        if (little is false)
            throw new OfaFormatException($"{source}: the checkpoint was saved on a big-endian machine; only little-endian checkpoints are supported (re-save it on a little-endian machine).");

        // The storages follow the object pickle, so a first pass (zero-filled storages, bounded by the bytes
        // left in the file) finds where it ends and which storages it uses, and the second reads the real data.
        int objectStart = pos;
        var sizing = new SizingStorages(source, data.Length - objectStart);
        RestrictedUnpickler.Load(data, objectStart, source, new TorchPickleHost(sizing), out pos);

        var keys = RestrictedUnpickler.Load(data, pos, source, plain, out pos);
        if (keys is not List<object?> keyList)
            throw new OfaFormatException($"{source}: the legacy storage-key list is {PickleValues.Describe(keys)}, not a list; the file is damaged.");
        var storages = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var k in keyList)
        {
            if (k is not string key || !sizing.Bytes.TryGetValue(key, out var expected) || storages.ContainsKey(key))
                throw new OfaFormatException($"{source}: the legacy storage list names {PickleValues.Describe(k)}, which the pickle does not use (or names twice); the file is damaged.");
            if (data.Length - pos < 8)
                throw new OfaFormatException($"{source}: storage '{key}' is cut off at byte {pos} (truncated file).");
            long numel = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(pos, 8));
            pos += 8;
            if (numel != sizing.Numel[key])
                throw new OfaFormatException($"{source}: storage '{key}' holds {numel} elements but the pickle declares {sizing.Numel[key]}; the file is damaged.");
            if (expected > data.Length - pos)
                throw new OfaFormatException($"{source}: storage '{key}' needs {expected} bytes but only {data.Length - pos} remain (truncated file).");
            storages[key] = data.AsSpan(pos, (int)expected).ToArray();
            pos += (int)expected;
        }
        if (storages.Count != sizing.Bytes.Count)
            throw new OfaFormatException($"{source}: the pickle uses {sizing.Bytes.Count} storages but the file holds {storages.Count}; the file is damaged.");
        if (pos != data.Length)
            throw new OfaFormatException($"{source}: {data.Length - pos} unexpected bytes after the last storage; the file is damaged.");

        return RestrictedUnpickler.Load(data, objectStart, source, new TorchPickleHost(new ReadStorages(source, storages)), out _);
    }

    /// <summary>First pass: records each storage's size and hands back zeros, never more than the file could hold.</summary>
    private sealed class SizingStorages(string source, long bytesLeft) : ITorchStorages
    {
        public Dictionary<string, long> Bytes { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, long> Numel { get; } = new(StringComparer.Ordinal);
        private long _total;

        public string Source => source;
        public long StorageBytes => bytesLeft;

        public byte[] ReadStorage(StorageRef storage, long expectedBytes)
        {
            _total += expectedBytes;
            if (_total > bytesLeft)
                throw new OfaFormatException($"{source}: the pickle's storages declare more than the {bytesLeft} bytes left in the file (at {storage}); the file is truncated or damaged.");
            Bytes[storage.Key] = expectedBytes;
            Numel[storage.Key] = storage.Numel;
            return new byte[expectedBytes];
        }
    }

    private sealed class ReadStorages(string source, Dictionary<string, byte[]> storages) : ITorchStorages
    {
        public string Source => source;
        public long StorageBytes { get; } = storages.Values.Sum(s => (long)s.Length);

        public byte[] ReadStorage(StorageRef storage, long expectedBytes) =>
            storages.TryGetValue(storage.Key, out var bytes) && bytes.Length == expectedBytes
                ? bytes
                : throw new OfaFormatException($"{source}: {storage} does not match the first reading of the file; the file is damaged.");
    }

    /// <summary>For the header and key-list pickles: plain values only, no globals, calls or persistent ids.</summary>
    private sealed class PlainHost(string source) : IPickleHost
    {
        public object ResolveGlobal(string module, string name) => throw Refuse($"global '{module}.{name}'");
        public object? Call(object? callable, object?[] args) => throw Refuse("a call");
        public object? PersistentLoad(object? pid) => throw Refuse("a persistent id");
        public void Build(object? target, object? state) => throw Refuse("BUILD");

        private OfaFormatException Refuse(string what) =>
            new($"{source}: the legacy header holds {what}, which torch.save never writes there; the file may be malicious or damaged.");
    }
}
