using static OfaBuild.Core.Tests.Checkpoints.TorchZipBuilder;

namespace OfaBuild.Core.Tests.Checkpoints;

/// <summary>Malicious and damaged checkpoints: each must fail with an OfaFormatException naming the file, and run nothing.</summary>
public class HostileCheckpointTests
{
    private const string File = "evil.pt";

    private static OfaFormatException Refused(byte[] zip)
    {
        var e = Assert.Throws<OfaFormatException>(() => TorchCheckpoint.ReadStateDict(Stream(zip), File));
        Assert.StartsWith(File + ": ", e.Message);
        return e;
    }

    private static OfaFormatException RefusedPickle(byte[] pickle, Dictionary<string, byte[]>? storages = null) =>
        Refused(Zip("evil", pickle, storages ?? []));

    [Fact]
    public void Refuses_os_system_at_the_global_opcode()
    {
        // The classic payload: os.system('...') via GLOBAL + REDUCE.
        var payload = new PickleBuilder().Proto().Global("os", "system").Str("touch /tmp/pwned").Op(0x85).Reduce().Stop();
        var e = RefusedPickle(payload.ToArray());
        Assert.Equal($"{File}: refuses to load global 'os.system' from the pickle: a state-dict checkpoint only needs tensors. The file may be malicious or not a state dict.", e.Message);

        // Refused on the GLOBAL itself: followed by garbage, the refusal still comes first.
        var cut = new PickleBuilder().Proto().Global("os", "system").Raw(0xff, 0xff).ToArray();
        Assert.Contains("refuses to load global 'os.system'", RefusedPickle(cut).Message);
    }

    [Theory]
    [InlineData("torch.nn.modules.container", "Sequential")]
    [InlineData("ofa.imagenet_classification.elastic_nn.networks.ofa_mbv3", "OFAMobileNetV3")]
    public void A_whole_pickled_network_is_refused_with_how_to_save_its_state_dict(string module, string name)
    {
        // Before, torch.save(net, f) of a network got only "The file may be malicious or not a state dict." and no fix.
        var payload = new PickleBuilder().Proto().Global(module, name).Op(0x29).Op(0x81).Stop(); // GLOBAL, EMPTY_TUPLE, NEWOBJ
        Assert.Equal($"{File}: refuses to load global '{module}.{name}' from the pickle: a state-dict checkpoint only needs tensors. " +
            "It holds a whole pickled network (torch.save(net, ...)), not a state dict: save its state dict in Python, torch.save(net.state_dict(), 'state_dict.pth'), and import that.",
            RefusedPickle(payload.ToArray()).Message);
    }

    [Theory]
    [InlineData("builtins", "eval")]
    [InlineData("posix", "system")]
    [InlineData("subprocess", "Popen")]
    [InlineData("torch", "load")]
    [InlineData("torch._utils", "_rebuild_device_tensor_from_numpy")]
    [InlineData("collections", "OrderedDict.fromkeys")]
    public void Refuses_other_globals_also_via_stack_global(string module, string name)
    {
        var viaGlobal = new PickleBuilder().Proto().Global(module, name).Str("1+1").Op(0x85).Reduce().Stop();
        Assert.Contains($"refuses to load global '{module}.{name}'", RefusedPickle(viaGlobal.ToArray()).Message);
        var viaStack = new PickleBuilder().Proto().StackGlobal(module, name).Str("1+1").Op(0x85).Reduce().Stop();
        Assert.Contains($"refuses to load global '{module}.{name}'", RefusedPickle(viaStack.ToArray()).Message);
    }

    [Fact]
    public void Refuses_calling_a_storage_type()
    {
        var p = new PickleBuilder().Proto().Global("torch", "FloatStorage").Int(1_000_000_000).Op(0x85).Reduce().Stop();
        Assert.Contains("not callable", RefusedPickle(p.ToArray()).Message);
    }

    [Fact]
    public void Names_an_unknown_opcode_and_its_offset()
    {
        var e = RefusedPickle(new PickleBuilder().Proto().EmptyDict().Raw(0xfe).Stop().ToArray());
        Assert.Contains("opcode 0xfe at offset 3", e.Message);
        // INST (i) runs code in Python: refused as unsupported, not interpreted.
        Assert.Contains("opcode 0x69 ('i') at offset 2", RefusedPickle(new PickleBuilder().Proto().Raw("ios\nsystem\n."u8.ToArray()).ToArray()).Message);
    }

    [Fact]
    public void Every_truncation_of_the_pickle_is_refused()
    {
        var (pickle, storages) = SmallStateDict();
        for (int n = 0; n < pickle.Length; n++)
            RefusedPickle(pickle[..n], storages);
    }

    [Fact]
    public void Refuses_stack_and_memo_damage()
    {
        Assert.Contains("needs 2 values", RefusedPickle(new PickleBuilder().Proto().Int(1).Op(0x86).Stop().ToArray()).Message);
        Assert.Contains("memo entry 5 was never stored", RefusedPickle(new PickleBuilder().Proto().Get(5).Stop().ToArray()).Message);
        Assert.Contains("no MARK", RefusedPickle(new PickleBuilder().Proto().EmptyDict().SetItems().Stop().ToArray()).Message);
        Assert.Contains("STOP with 0 values", RefusedPickle(new PickleBuilder().Proto().Stop().ToArray()).Message);
        Assert.Contains("expects a dict", RefusedPickle(new PickleBuilder().Proto().EmptyList().Str("k").Int(1).SetItem().Stop().ToArray()).Message);
        // The mark hides what is below it, as in Python.
        Assert.Contains("stack is empty", RefusedPickle(new PickleBuilder().Proto().EmptyList().Mark().Append().Stop().ToArray()).Message);
        // A 2^62-byte string: refused from its length field, nothing allocated.
        var huge = new PickleBuilder().Proto().Op(0x8d).Raw(0, 0, 0, 0, 0, 0, 0, 0x40).Stop().ToArray();
        Assert.Contains("runs past the end", RefusedPickle(huge).Message);
    }

    [Fact]
    public void Every_truncation_of_the_zip_is_refused()
    {
        var (pickle, storages) = SmallStateDict();
        var zip = Zip("m", pickle, storages);
        for (int n = 0; n < zip.Length; n += 7)
            Refused(zip[..n]);
    }

    [Fact]
    public void Refuses_a_flipped_bit_in_a_stored_tensor()
    {
        // torch.save stores entries uncompressed and ZipArchive does not check CRC-32: only the reader's own check sees this.
        var (pickle, storages) = SmallStateDict();
        var zip = Zip("evil", pickle, storages);
        int at = IndexOf(zip, Floats(1, 2, 3, 4, 5, 6));
        zip[at + 5] ^= 0x01;
        Assert.Contains("entry 'evil/data/0' fails its checksum", Refused(zip).Message);
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
        throw new InvalidOperationException("not found");
    }

    [Fact]
    public void Refuses_an_archive_without_data_pkl()
    {
        var e = Refused(Entries([("m/data/0", Floats(1)), ("m/version", "3\n"u8.ToArray())]));
        Assert.Contains("no '<archive>/data.pkl'", e.Message);
        // data.pkl must sit directly in the archive folder.
        Assert.Contains("no '<archive>/data.pkl'", Refused(Entries([("a/b/data.pkl", SmallStateDict().Pickle)])).Message);
    }

    [Fact]
    public void Refuses_a_missing_storage()
    {
        var (pickle, storages) = SmallStateDict();
        storages.Remove("1");
        Assert.Contains("refers to storage '1' but the zip has no 'evil/data/1'", RefusedPickle(pickle, storages).Message);
    }

    [Fact]
    public void Refuses_a_storage_shorter_than_declared()
    {
        var (pickle, storages) = SmallStateDict();
        storages["0"] = Floats(1, 2, 3, 4, 5);
        Assert.Contains("holds 20 bytes but the pickle declares 24", RefusedPickle(pickle, storages).Message);
    }

    [Theory]
    [InlineData(0, new long[] { 2, 3 }, new long[] { 3, 1 })] // needs 6 elements of 5
    [InlineData(1, new long[] { 5 }, new long[] { 1 })]       // offset pushes the end out
    [InlineData(0, new long[] { 2, 2 }, new long[] { 4, 1 })] // stride pushes the end out
    public void Refuses_a_view_past_its_storage(long offset, long[] size, long[] stride)
    {
        var p = new PickleBuilder().Proto().EmptyDict().Str("w").Tensor("FloatStorage", "0", 5, offset, size, stride).SetItem().Stop();
        var e = RefusedPickle(p.ToArray(), new() { ["0"] = Floats(1, 2, 3, 4, 5) });
        Assert.Contains("which holds only 5", e.Message);
    }

    [Fact]
    public void Refuses_views_that_expand_a_small_file_to_gigabytes()
    {
        var p = new PickleBuilder().Proto().EmptyDict().Str("w").Tensor("FloatStorage", "0", 1, 0, [1 << 16, 1 << 10], [0, 0]).SetItem().Stop();
        Assert.Contains("expand to more than", RefusedPickle(p.ToArray(), new() { ["0"] = Floats(1) }).Message);
    }

    [Fact]
    public void Refuses_a_top_level_that_is_not_a_dict()
    {
        var p = new PickleBuilder().Proto().EmptyList().Tensor("FloatStorage", "0", 1, 0, [1], [1]).Append().Stop();
        Assert.Contains("holds a list of 1, not a state dict", RefusedPickle(p.ToArray(), new() { ["0"] = Floats(1) }).Message);
    }

    [Fact]
    public void Refuses_non_tensor_entries()
    {
        var bare = new PickleBuilder().Proto().EmptyDict().Str("epoch").Int(3).SetItem().Stop();
        Assert.Contains("entry 'epoch' is a int 3, not a tensor", RefusedPickle(bare.ToArray()).Message);
        var wrapped = new PickleBuilder().Proto().EmptyDict().Str("state_dict").Int(3).SetItem().Stop();
        Assert.Contains("'state_dict' entry is a int 3", RefusedPickle(wrapped.ToArray()).Message);
    }

    [Fact]
    public void Refuses_big_endian_checkpoints()
    {
        var (pickle, storages) = SmallStateDict();
        Assert.Contains("big-endian", Refused(Zip("m", pickle, storages, byteorder: "big")).Message);
        // No byteorder record (PyTorch < 1.10) means little-endian.
        Assert.Equal(3, TorchCheckpoint.ReadStateDict(Stream(Zip("m", pickle, storages, byteorder: null)), File).Count);
    }

    [Fact]
    public void A_legacy_header_alone_is_a_truncated_file()
    {
        var e = Refused([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e]);
        Assert.Contains("truncated file", e.Message);
    }

    [Fact]
    public void A_missing_file_is_a_user_error_naming_it()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-dir-ofabuild", "x.pt");
        var e = Assert.Throws<OfaException>(() => TorchCheckpoint.ReadStateDict(path));
        Assert.Equal($"{path}: file not found.", e.Message);
    }
}
