using System.Buffers.Binary;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using OfaBuild.Core.IO;

namespace OfaBuild.Core.Tensors;

/// <summary>Tensors and the string metadata of one safetensors file.</summary>
public sealed record SafeTensorsContent(TensorSet Tensors, IReadOnlyDictionary<string, string> Metadata);

/// <summary>
/// The safetensors format (huggingface/safetensors): u64 little-endian header length N, N bytes of
/// JSON header <c>{"name":{"dtype","shape","data_offsets":[begin,end]}, "__metadata__":{..}}</c>,
/// then the byte buffer the offsets point into. Reading trusts nothing in the file: every field
/// is checked before it sizes an allocation or a slice. Writing is deterministic.
/// </summary>
public static class SafeTensors
{
    public const string MetadataKey = "__metadata__";

    /// <summary>Largest header accepted; real headers are a few hundred bytes per tensor.</summary>
    public const long MaxHeaderBytes = 100L * 1024 * 1024;

    /// <summary>Largest file <see cref="Read(string)"/> loads (one byte[]).</summary>
    public const long MaxFileBytes = int.MaxValue - 1024;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        // Tensor names are ASCII in practice; relaxed escaping keeps any other name readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static TensorSet Read(ReadOnlySpan<byte> file, string source) => ReadContent(file, source).Tensors;

    public static TensorSet Read(string path) => ReadContent(path).Tensors;

    public static IReadOnlyDictionary<string, string> ReadMetadata(ReadOnlySpan<byte> file, string source) =>
        ParseHeader(file, source).Metadata;

    /// <summary>Reads only the header of <paramref name="path"/> (not the tensor bytes).</summary>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
    {
        using var stream = OpenForRead(path);
        Span<byte> prefix = stackalloc byte[8];
        if (stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8)
            throw new OfaFormatException($"{path}: file is {stream.Length} bytes, too short for a safetensors header (needs at least 8).");
        long n = CheckHeaderLength(BinaryPrimitives.ReadUInt64LittleEndian(prefix), stream.Length, path);
        var head = new byte[8 + n];
        prefix.CopyTo(head);
        stream.ReadExactly(head.AsSpan(8));
        // The real file length, so offsets are still checked against the file.
        return ParseHeader(head, path, fileLength: stream.Length).Metadata;
    }

    public static SafeTensorsContent ReadContent(string path)
    {
        byte[] bytes;
        using (var stream = OpenForRead(path))
        {
            if (stream.Length > MaxFileBytes)
                throw new OfaFormatException($"{path}: file is {stream.Length} bytes; safetensors files over {MaxFileBytes} bytes are not supported.");
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        return ReadContent(bytes, path);
    }

    public static SafeTensorsContent ReadContent(ReadOnlySpan<byte> file, string source)
    {
        var header = ParseHeader(file, source);
        var buffer = file[(int)(8 + header.HeaderLength)..];
        var set = new TensorSet(source);
        foreach (var e in header.Entries)
            set.Add(e.Name, Tensor.FromBytes(e.DType, e.Shape, buffer.Slice((int)e.Begin, (int)(e.End - e.Begin))));
        return new SafeTensorsContent(set, header.Metadata);
    }

    /// <summary>
    /// The file bytes: header with <c>__metadata__</c> first (keys in ordinal order), then tensors in
    /// ordinal name order with contiguous offsets; header padded with spaces to a multiple of 8 so the
    /// buffer starts aligned. Same input, same bytes.
    /// </summary>
    public static byte[] Write(TensorSet tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("safetensors writing assumes a little-endian machine.");

        var json = new MemoryStream();
        long offset = 0;
        using (var w = new Utf8JsonWriter(json, WriterOptions))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject(MetadataKey);
                foreach (var key in metadata.Keys.Order(StringComparer.Ordinal))
                    w.WriteString(key, metadata[key]);
                w.WriteEndObject();
            }
            foreach (var (name, t) in tensors.Items)
            {
                if (name == MetadataKey)
                    throw new OfaException($"{tensors.Source}: a tensor cannot be named '{MetadataKey}' (reserved by safetensors).");
                long length = t.Bytes.Length;
                w.WriteStartObject(name);
                w.WriteString("dtype", t.DType.Name());
                w.WriteStartArray("shape");
                foreach (var d in t.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + length);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += length;
            }
            w.WriteEndObject();
        }

        long headerLength = (json.Length + 7) / 8 * 8;
        long total = 8 + headerLength + offset;
        if (total > MaxFileBytes)
            throw new OfaException($"{tensors.Source}: {total} bytes of tensors is over the {MaxFileBytes}-byte limit of one safetensors file.");
        var file = new byte[total];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)headerLength);
        json.GetBuffer().AsSpan(0, (int)json.Length).CopyTo(file.AsSpan(8));
        file.AsSpan(8 + (int)json.Length, (int)(headerLength - json.Length)).Fill((byte)' ');
        int at = (int)(8 + headerLength);
        foreach (var (_, t) in tensors.Items)
        {
            t.Bytes.CopyTo(file.AsSpan(at));
            at += t.Bytes.Length;
        }
        return file;
    }

    /// <summary>Writes the file atomically (temporary file, then rename).</summary>
    public static void Write(string path, TensorSet tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        AtomicFile.WriteAllBytes(path, Write(tensors, metadata));

    private sealed record Entry(string Name, DType DType, int[] Shape, ulong Begin, ulong End);

    private sealed record Header(long HeaderLength, List<Entry> Entries, IReadOnlyDictionary<string, string> Metadata);

    private static FileStream OpenForRead(string path) => IO.InputFile.Open(path, "no such safetensors file.", "safetensors file");

    private static long CheckHeaderLength(ulong n, long fileLength, string source)
    {
        if (n > (ulong)MaxHeaderBytes)
            throw new OfaFormatException($"{source}: safetensors header length {n} is over the {MaxHeaderBytes}-byte limit; the file is damaged or not safetensors.");
        if ((long)n > fileLength - 8)
            throw new OfaFormatException($"{source}: safetensors header length {n} runs past the end of the {fileLength}-byte file; the file is truncated or not safetensors.");
        return (long)n;
    }

    /// <summary>Parses the header; <paramref name="fileLength"/> is the whole file's length when <paramref name="file"/> holds only its head.</summary>
    private static Header ParseHeader(ReadOnlySpan<byte> file, string source, long? fileLength = null)
    {
        long length = fileLength ?? file.Length;
        if (length < 8)
            throw new OfaFormatException($"{source}: file is {length} bytes, too short for a safetensors header (needs at least 8).");
        long n = CheckHeaderLength(BinaryPrimitives.ReadUInt64LittleEndian(file), length, source);
        long buffer = length - 8 - n;
        var headerBytes = file.Slice(8, (int)n);
        if (headerBytes.Length == 0 || headerBytes[0] != (byte)'{')
            throw new OfaFormatException($"{source}: safetensors header does not start with '{{'; the file is damaged or not safetensors.");

        if (!System.Text.Unicode.Utf8.IsValid(headerBytes))
            throw new OfaFormatException($"{source}: safetensors header is not valid UTF-8; the file is damaged or not safetensors.");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(headerBytes.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            throw new OfaFormatException($"{source}: safetensors header is not valid JSON ({ex.Message}).", ex);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new OfaFormatException($"{source}: safetensors header must be a JSON object.");
            var entries = new List<Entry>();
            var metadata = new SortedDictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var prop in root.EnumerateObject())
            {
                if (!seen.Add(prop.Name))
                    throw new OfaFormatException($"{source}: safetensors header lists '{prop.Name}' twice.");
                if (prop.Name == MetadataKey)
                    ReadMetadataObject(prop.Value, metadata, source);
                else
                    entries.Add(ReadEntry(prop.Name, prop.Value, buffer, source));
            }
            CheckLayout(entries, buffer, source);
            return new Header(n, entries, metadata);
        }
    }

    private static void ReadMetadataObject(JsonElement value, SortedDictionary<string, string> metadata, string source)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new OfaFormatException($"{source}: safetensors '{MetadataKey}' must be an object of strings.");
        foreach (var p in value.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String)
                throw new OfaFormatException($"{source}: safetensors metadata '{p.Name}' is {p.Value.ValueKind}; values must be strings.");
            if (!metadata.TryAdd(p.Name, p.Value.GetString()!))
                throw new OfaFormatException($"{source}: safetensors metadata lists '{p.Name}' twice.");
        }
    }

    private static Entry ReadEntry(string name, JsonElement value, long buffer, string source)
    {
        string at = $"{source}: tensor '{name}'";
        if (name.Length == 0)
            throw new OfaFormatException($"{source}: safetensors header has a tensor with an empty name.");
        if (value.ValueKind != JsonValueKind.Object)
            throw new OfaFormatException($"{at}: header entry must be an object with dtype, shape and data_offsets.");

        DType? dtype = null;
        int[]? shape = null;
        ulong[]? offsets = null;
        foreach (var p in value.EnumerateObject())
        {
            switch (p.Name)
            {
                case "dtype" when dtype is null:
                    if (p.Value.ValueKind != JsonValueKind.String || !DTypes.TryParse(p.Value.GetString()!, out var t))
                        throw new OfaFormatException($"{at}: unknown dtype {p.Value.GetRawText()}; known: {string.Join(", ", Enum.GetValues<DType>().Select(x => x.Name()))}.");
                    dtype = t;
                    break;
                case "shape" when shape is null:
                    shape = ReadIntArray(p.Value, at, "shape", 32, (JsonElement e, out int d) => e.TryGetInt32(out d) && d >= 0,
                        "non-negative integers below 2^31");
                    break;
                case "data_offsets" when offsets is null:
                    offsets = ReadIntArray(p.Value, at, "data_offsets", 2, (JsonElement e, out ulong d) => e.TryGetUInt64(out d),
                        "non-negative integers");
                    if (offsets.Length != 2)
                        throw new OfaFormatException($"{at}: data_offsets must be [begin, end], got {offsets.Length} values.");
                    break;
                default:
                    throw new OfaFormatException($"{at}: unexpected or repeated field '{p.Name}' in header entry.");
            }
        }
        if (dtype is null) throw new OfaFormatException($"{at}: header entry has no dtype.");
        if (shape is null) throw new OfaFormatException($"{at}: header entry has no shape.");
        if (offsets is null) throw new OfaFormatException($"{at}: header entry has no data_offsets.");

        ulong begin = offsets[0], end = offsets[1];
        if (begin > end)
            throw new OfaFormatException($"{at}: data_offsets [{begin}, {end}] end before they begin.");
        if (end > (ulong)buffer)
            throw new OfaFormatException($"{at}: data_offsets [{begin}, {end}] run past the {buffer}-byte data buffer; the file is truncated or damaged.");
        ulong needed;
        try
        {
            needed = checked((ulong)Tensor.CountElements(shape) * (ulong)dtype.Value.Size());
        }
        catch (OverflowException)
        {
            throw new OfaFormatException($"{at}: shape [{string.Join(", ", shape)}] is too large (element count overflows).");
        }
        if (end - begin != needed)
            throw new OfaFormatException($"{at}: shape [{string.Join(", ", shape)}] of {dtype.Value.Name()} needs {needed} bytes but data_offsets [{begin}, {end}] hold {end - begin}.");
        return new Entry(name, dtype.Value, shape, begin, end);
    }

    private delegate bool TryElement<T>(JsonElement e, out T value);

    private static T[] ReadIntArray<T>(JsonElement value, string at, string field, int maxLength, TryElement<T> parse, string what)
    {
        if (value.ValueKind != JsonValueKind.Array)
            throw new OfaFormatException($"{at}: {field} must be an array of {what}.");
        int count = value.GetArrayLength();
        if (count > maxLength)
            throw new OfaFormatException($"{at}: {field} has {count} values; at most {maxLength} are allowed.");
        var result = new T[count];
        int i = 0;
        foreach (var e in value.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Number || !parse(e, out result[i]))
                throw new OfaFormatException($"{at}: {field} holds {e.GetRawText()}; expected {what}.");
            i++;
        }
        return result;
    }

    /// <summary>
    /// Tensors must tile the buffer exactly, as the reference implementation requires: no overlap,
    /// no gap, nothing after the last one.
    /// </summary>
    private static void CheckLayout(List<Entry> entries, long buffer, string source)
    {
        var byBegin = entries.OrderBy(e => e.Begin).ThenBy(e => e.End).ToList();
        ulong expected = 0;
        Entry? previous = null;
        foreach (var e in byBegin)
        {
            if (e.Begin < expected)
                throw new OfaFormatException($"{source}: tensor '{e.Name}' at bytes [{e.Begin}, {e.End}] overlaps tensor '{previous!.Name}' at [{previous.Begin}, {previous.End}].");
            if (e.Begin > expected)
                throw new OfaFormatException($"{source}: tensor '{e.Name}' starts at byte {e.Begin} but the previous tensor ends at {expected}; the data buffer has a gap.");
            expected = e.End;
            previous = e;
        }
        if (expected != (ulong)buffer)
            throw new OfaFormatException($"{source}: tensors end at byte {expected} of a {buffer}-byte data buffer; the file has trailing data or lost its header.");
    }
}
