using static OfaBuild.Core.Tests.Checkpoints.TorchZipBuilder;

namespace OfaBuild.Core.Tests.Checkpoints;

/// <summary>Valid checkpoints built in the test: layouts and wrappers torch.save produces.</summary>
public class SmallCheckpointTests
{
    private static TensorSet Read(byte[] pickle, Dictionary<string, byte[]> storages, string archive = "model") =>
        TorchCheckpoint.ReadStateDict(Stream(Zip(archive, pickle, storages)), "small.pt");

    [Fact]
    public void Reads_a_bare_state_dict()
    {
        var (pickle, storages) = SmallStateDict();
        var set = Read(pickle, storages, archive: "any_folder_name");
        Assert.Equal(["b", "n", "w"], set.Names);
        Assert.Equal([2, 3], set["w"].Shape);
        Assert.Equal([1f, 2, 3, 4, 5, 6], set["w"].F32);
        Assert.Equal([-1f, 0.5f, 7], set["b"].F32);
        Assert.Equal(DType.I64, set["n"].DType);
        Assert.Equal(42L, BitConverter.ToInt64(set["n"].Bytes));
        Assert.Equal("small.pt", set.Source);
    }

    [Fact]
    public void Accepts_a_dict_with_a_state_dict_entry()
    {
        var p = new PickleBuilder().Proto().EmptyDict().Mark();
        p.Str("epoch").Int(120);
        p.Str("state_dict").NewOrderedDict().Mark().Str("w").Tensor("FloatStorage", "0", 2, 0, [2], [1]).SetItems();
        p.SetItems().Stop();
        var set = Read(p.ToArray(), new() { ["0"] = Floats(3, 4) });
        Assert.Equal([3f, 4], set["w"].F32);
        Assert.Equal(1, set.Count);
    }

    [Fact]
    public void A_state_dict_under_another_key_is_named_with_how_to_save_it()
    {
        // torch.save({'model': net.state_dict(), 'optimizer': ...}): before, only "expected a state dict ... or a dict with a
        // 'state_dict' entry", which does not say that the file holds one, under 'model'.
        var p = new PickleBuilder().Proto().EmptyDict().Mark();
        p.Str("model").NewOrderedDict().Mark().Str("w").Tensor("FloatStorage", "0", 2, 0, [2], [1]).SetItems();
        p.Str("optimizer").EmptyDict();
        p.SetItems().Stop();
        var e = Assert.Throws<OfaFormatException>(() => Read(p.ToArray(), new() { ["0"] = Floats(3, 4) }));
        Assert.Equal("small.pt: entry 'model' is a dict of 1, not a tensor; expected a state dict (name -> tensor) or a dict with a 'state_dict' entry. " +
            "Its entry 'model' is a dict of tensors: save that as the state dict in Python, torch.save(checkpoint['model'], 'state_dict.pth'), and import that.", e.Message);
    }

    [Fact]
    public void Gathers_strided_views_into_row_major()
    {
        // Storage 0..11 as a [3,4] matrix; save its transpose [4,3] (stride 1,4) and column 1 from offset 1 (stride 4).
        var storage = Floats(Enumerable.Range(0, 12).Select(i => (float)i).ToArray());
        var p = new PickleBuilder().Proto().EmptyDict().Mark();
        p.Str("t").Tensor("FloatStorage", "0", 12, 0, [4, 3], [1, 4]);
        p.Str("col").Tensor("FloatStorage", "0", 12, 1, [3], [4]);
        p.Str("bcast").Tensor("FloatStorage", "0", 12, 5, [2, 2], [0, 1]);
        p.SetItems().Stop();
        var set = Read(p.ToArray(), new() { ["0"] = storage });
        Assert.Equal([0f, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11], set["t"].F32);
        Assert.Equal([1f, 5, 9], set["col"].F32);
        Assert.Equal([5f, 6, 5, 6], set["bcast"].F32);
    }

    [Fact]
    public void Unwraps_parameters_and_reads_other_storage_types()
    {
        var p = new PickleBuilder().Proto().EmptyDict().Mark();
        p.Str("p").Global("torch._utils", "_rebuild_parameter").Mark()
            .Tensor("FloatStorage", "0", 1, 0, [1], [1]).Op(0x88).NewOrderedDict().Tuple().Reduce();
        p.Str("h").Tensor("HalfStorage", "1", 2, 0, [2], [1]);
        p.StackGlobal("torch", "BoolStorage").Op((byte)'0'); // STACK_GLOBAL then POP: allowed and harmless
        p.Op((byte)'N').Op((byte)'0');
        p.Str("i").Tensor("IntStorage", "2", 1, 0, [], []);
        p.SetItems().Stop();
        var set = Read(p.ToArray(), new() { ["0"] = Floats(2.5f), ["1"] = [0x00, 0x3c, 0x00, 0xc0], ["2"] = BitConverter.GetBytes(-7) });
        Assert.Equal([2.5f], set["p"].F32);
        Assert.Equal(DType.F16, set["h"].DType);
        Assert.Equal([(Half)1, (Half)(-2)], [BitConverter.ToHalf(set["h"].Bytes[..2]), BitConverter.ToHalf(set["h"].Bytes[2..])]);
        Assert.Equal(-7, BitConverter.ToInt32(set["i"].Bytes));
    }

    [Fact]
    public void Reads_from_a_file_path()
    {
        var (pickle, storages) = SmallStateDict();
        var path = Path.Combine(Path.GetTempPath(), $"ofabuild-ckpt-{Guid.NewGuid():N}.pt");
        File.WriteAllBytes(path, Zip("x", pickle, storages));
        try
        {
            Assert.Equal(3, TorchCheckpoint.ReadStateDict(path).Count);
        }
        finally
        {
            File.Delete(path);
        }
    }

    // Data/torch113_wrapped.pt was written once by Debian's PyTorch 1.13 (/usr/bin/python3):
    //   base = torch.arange(12.).reshape(3, 4); sd = OrderedDict(t=base.t(), row=base[1],
    //   p=nn.Parameter(torch.tensor([1.5, -2.])), h=torch.tensor([1., -2.], dtype=torch.float16),
    //   i=torch.tensor([[3, -4]], dtype=torch.int32), n=torch.tensor(5))
    //   torch.save({'state_dict': sd, 'epoch': 3, 'best_acc': 71.5, 'arch': 'ofa'}, path)
    [Fact]
    public void Reads_a_wrapped_checkpoint_written_by_pytorch()
    {
        var set = TorchCheckpoint.ReadStateDict(CheckpointData.File("torch113_wrapped.pt"));
        Assert.Equal(["h", "i", "n", "p", "row", "t"], set.Names);
        Assert.Equal([4, 3], set["t"].Shape);
        Assert.Equal([0f, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11], set["t"].F32);
        Assert.Equal([4f, 5, 6, 7], set["row"].F32);
        Assert.Equal([1.5f, -2], set["p"].F32);
        Assert.Equal(DType.F16, set["h"].DType);
        Assert.Equal((Half)(-2), BitConverter.ToHalf(set["h"].Bytes[2..]));
        Assert.Equal([1, 2], set["i"].Shape);
        Assert.Equal(-4, BitConverter.ToInt32(set["i"].Bytes[4..]));
        Assert.Equal(DType.I64, set["n"].DType);
        Assert.Equal(5L, BitConverter.ToInt64(set["n"].Bytes));
    }
}
