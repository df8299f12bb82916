using System.Buffers.Binary;
using System.Text;

namespace OfaBuild.Core.Tests.Tensors;

public class SafeTensorsTests
{
    private const string Src = "test.safetensors";

    private static TensorSet Sample()
    {
        var set = new TensorSet("sample");
        set.Add("weight", Tensor.FromFloats([2, 3], [1f, -2.5f, 3f, float.Epsilon, 0f, 1e30f]));
        set.Add("index", Tensor.FromBytes(DType.I64, [3], MemoryMarshalBytes(new long[] { -1, 0, long.MaxValue })));
        set.Add("pixels", Tensor.FromBytes(DType.U8, [2, 1, 2], [0, 7, 128, 255]));
        set.Add("half", Tensor.FromBytes(DType.F16, [2], [0x00, 0x3C, 0x00, 0xC0]));
        set.Add("flags", Tensor.FromBytes(DType.Bool, [2], [1, 0]));
        set.Add("scalar", Tensor.FromFloats([], [42f]));
        set.Add("empty", Tensor.FromFloats([0, 5], []));
        return set;
    }

    private static byte[] MemoryMarshalBytes(long[] values) =>
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    /// <summary>A file with the given header text (padded to 8) and data buffer.</summary>
    private static byte[] Build(string header, byte[] data)
    {
        var h = Encoding.UTF8.GetBytes(header);
        int n = (h.Length + 7) / 8 * 8;
        var file = new byte[8 + n + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)n);
        h.CopyTo(file, 8);
        file.AsSpan(8 + h.Length, n - h.Length).Fill((byte)' ');
        data.CopyTo(file, 8 + n);
        return file;
    }

    private static OfaFormatException Fails(byte[] file)
    {
        var ex = Assert.Throws<OfaFormatException>(() => SafeTensors.Read(file, Src));
        Assert.StartsWith(Src, ex.Message);
        return ex;
    }

    [Fact]
    public void Round_trip_keeps_dtypes_shapes_bytes_and_metadata()
    {
        var set = Sample();
        var meta = new Dictionary<string, string> { ["format"] = "pt", ["a key"] = "ünïcode" };
        var content = SafeTensors.ReadContent(SafeTensors.Write(set, meta), Src);

        Assert.Equal(Src, content.Tensors.Source);
        Assert.Equal(set.Names, content.Tensors.Names);
        foreach (var (name, t) in set.Items)
        {
            var back = content.Tensors[name];
            Assert.Equal(t.DType, back.DType);
            Assert.Equal(t.Shape, back.Shape);
            Assert.True(t.Bytes.SequenceEqual(back.Bytes), name);
        }
        Assert.Equal(new[] { 1f, -2.5f, 3f, float.Epsilon, 0f, 1e30f }, content.Tensors["weight"].F32);
        Assert.Empty(content.Tensors["scalar"].Shape);
        Assert.Equal(42f, content.Tensors["scalar"].F32[0]);
        Assert.Equal(0, content.Tensors["empty"].ElementCount);
        Assert.Equal(meta.OrderBy(kv => kv.Key, StringComparer.Ordinal), content.Metadata);
    }

    [Fact]
    public void Layout_is_the_public_format()
    {
        var set = new TensorSet();
        set.Add("b", Tensor.FromFloats([1], [1f]));
        set.Add("a", Tensor.FromBytes(DType.U8, [2], [9, 8]));
        var file = SafeTensors.Write(set, new Dictionary<string, string> { ["k"] = "v" });

        const string json = "{\"__metadata__\":{\"k\":\"v\"},\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[2,6]}}";
        int n = (json.Length + 7) / 8 * 8;
        Assert.Equal((ulong)n, BinaryPrimitives.ReadUInt64LittleEndian(file));
        Assert.Equal(json.PadRight(n), Encoding.UTF8.GetString(file, 8, n));
        Assert.Equal(new byte[] { 9, 8, 0, 0, 0x80, 0x3F }, file[(8 + n)..]);
    }

    [Fact]
    public void Writing_is_deterministic_whatever_the_insertion_order()
    {
        var forward = Sample();
        var backward = new TensorSet("other", Sample().Items.Reverse());
        var m1 = new Dictionary<string, string> { ["x"] = "1", ["b"] = "2" };
        var m2 = new Dictionary<string, string> { ["b"] = "2", ["x"] = "1" };
        var a = SafeTensors.Write(forward, m1);
        Assert.Equal(a, SafeTensors.Write(forward, m1));
        Assert.Equal(a, SafeTensors.Write(backward, m2));
        Assert.Equal(0UL, BinaryPrimitives.ReadUInt64LittleEndian(a) % 8);
    }

    [Fact]
    public void A_missing_file_is_named_as_every_reader_names_it()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"ofa-missing-{Guid.NewGuid():N}");
        var safetensors = Path.Combine(dir, "w.safetensors");
        Assert.Equal($"{safetensors}: no such safetensors file.", Assert.Throws<OfaException>(() => SafeTensors.ReadContent(safetensors)).Message);
        var package = Path.Combine(dir, "x.ofa");
        Assert.StartsWith($"{package}: no such .ofa package.", Assert.Throws<OfaException>(() => Core.Packaging.OfaPackage.Read(package)).Message);
    }

    [Fact]
    public void Empty_set_round_trips()
    {
        var file = SafeTensors.Write(new TensorSet());
        Assert.Equal(16, file.Length);
        Assert.Equal(0, SafeTensors.Read(file, Src).Count);
    }

    [Fact]
    public void Every_truncation_fails_naming_the_source()
    {
        var file = SafeTensors.Write(Sample());
        for (int cut = 0; cut < file.Length; cut++)
            Fails(file[..cut]);
    }

    [Fact]
    public void Trailing_bytes_fail() =>
        Assert.Contains("trailing data", Fails([.. SafeTensors.Write(Sample()), 0]).Message);

    [Theory]
    [InlineData(1000UL, "runs past the end")]
    [InlineData(ulong.MaxValue, "over the")]
    [InlineData(200UL * 1024 * 1024, "over the")]
    public void Header_length_beyond_file_or_cap_fails(ulong n, string expected)
    {
        var file = SafeTensors.Write(Sample());
        BinaryPrimitives.WriteUInt64LittleEndian(file, n);
        Assert.Contains(expected, Fails(file).Message);
    }

    [Theory]
    [InlineData("{\"a\":", "not valid JSON")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}}", "not valid JSON")]
    [InlineData("[1,2]", "does not start with '{'")]
    [InlineData("{\"a\":[1]}", "tensor 'a': header entry must be an object")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", "tensor 'a': header entry has no data_offsets")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", "tensor 'a': unexpected or repeated field 'x'")]
    [InlineData("{\"a\":{\"dtype\":\"F33\",\"shape\":[1],\"data_offsets\":[0,4]}}", "tensor 'a': unknown dtype \"F33\"")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", "tensor 'a': shape holds -1")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", "tensor 'a': shape holds 1.5")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", "tensor 'a': shape [2] of F32 needs 8 bytes but data_offsets [0, 4] hold 4")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,4]}}", "tensor 'a': shape [2147483647, 2147483647, 2147483647] is too large")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,12]}}", "tensor 'a': data_offsets [0, 12] run past the 8-byte data buffer")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", "tensor 'a': data_offsets [4, 0] end before they begin")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,-4]}}", "tensor 'a': data_offsets holds -4")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", "tensor 'a': data_offsets must be [begin, end]")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[2,6]}}", "tensor 'b' at bytes [2, 6] overlaps tensor 'a'")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", "tensor 'a' starts at byte 4 but the previous tensor ends at 0")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", "lists 'a' twice")]
    [InlineData("{\"__metadata__\":{\"k\":1}}", "metadata 'k' is Number")]
    [InlineData("{\"\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", "empty name")]
    public void Damaged_header_fails_naming_the_tensor(string header, string expected)
    {
        var ex = Fails(Build(header, new byte[8]));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void File_read_names_the_path_and_metadata_reads_only_the_header()
    {
        using var dir = new TempDir();
        var path = dir["w.safetensors"];
        SafeTensors.Write(path, Sample(), new Dictionary<string, string> { ["k"] = "v" });
        Assert.Equal(path, SafeTensors.Read(path).Source);
        Assert.Equal("v", SafeTensors.ReadMetadata(path)["k"]);

        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^3]);
        var ex = Assert.Throws<OfaFormatException>(() => SafeTensors.Read(path));
        Assert.StartsWith(path, ex.Message);
        ex = Assert.Throws<OfaFormatException>(() => SafeTensors.ReadMetadata(path));
        Assert.StartsWith(path, ex.Message);

        var missing = dir["none.safetensors"];
        Assert.Contains(missing, Assert.Throws<OfaException>(() => SafeTensors.Read(missing)).Message);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }
}
