using System.Text.Json;

namespace OfaBuild.Core.Tests.Checkpoints;

/// <summary>The legacy (PyTorch &lt; 1.6) torch.save format: the authors' real acc_predictor.pth (CUDA-tagged), a file of Debian's torch 1.13, and hostile variants.</summary>
public class LegacyCheckpointTests
{
    [Fact]
    public void Reads_the_authors_cuda_tagged_accuracy_predictor()
    {
        var set = TorchCheckpoint.ReadStateDict(Fixtures.Tutorial("acc_predictor.pth"));
        Assert.Equal(["0.bias", "0.weight", "2.bias", "2.weight", "4.bias", "4.weight", "6.bias", "6.weight"], set.Names.Order());
        Assert.Equal([400, 128], set["0.weight"].Shape);
        Assert.Equal([400, 400], set["4.weight"].Shape);
        Assert.Equal([1, 400], set["6.weight"].Shape);
        Assert.Equal([1], set["6.bias"].Shape);
        Assert.All(set.Items, t => Assert.All(t.Value.F32, v => Assert.True(float.IsFinite(v))));
    }

    [Fact]
    public void Reads_a_wrapped_file_of_torch_1_13_with_its_values()
    {
        // Made with Debian's python3-torch 1.13: torch.save({"state_dict": sd, "epoch": 7}, f, _use_new_zipfile_serialization=False)
        // of Sequential(Conv2d(2, 3, 1), BatchNorm2d(3)) after torch.manual_seed(0); the .json holds the values.
        var set = TorchCheckpoint.ReadStateDict(CheckpointData.File("torch113_legacy_wrapped.pt"));
        using var expected = JsonDocument.Parse(File.ReadAllText(CheckpointData.File("torch113_legacy_wrapped.json")));
        Assert.Equal(expected.RootElement.EnumerateObject().Select(p => p.Name).Order(), set.Names.Order());
        foreach (var p in expected.RootElement.EnumerateObject())
        {
            var want = p.Value.EnumerateArray().Select(v => v.GetDouble()).ToArray();
            var t = set[p.Name];
            double[] got = t.DType == DType.F32 ? t.F32.Select(v => (double)v).ToArray() : [BitConverter.ToInt64(t.Bytes)];
            Assert.Equal(want, got);
        }
    }

    [Fact]
    public void Test_writer_round_trips_through_the_reader()
    {
        var set = new TensorSet("w");
        set.Add("a.weight", Tensor.FromFloats([2, 3], [1, 2, 3, 4, 5, 6]));
        set.Add("a.num_batches_tracked", Tensor.FromBytes(DType.I64, [], BitConverter.GetBytes(5L)));
        foreach (bool wrap in new[] { false, true })
        {
            var back = TorchCheckpoint.ReadStateDict(new MemoryStream(LegacyTorchWriter.Write(set, wrap)), "w.pth");
            Assert.Equal(set.Names.Order(), back.Names.Order());
            Assert.Equal(set["a.weight"].F32, back["a.weight"].F32);
            Assert.Equal(5L, BitConverter.ToInt64(back["a.num_batches_tracked"].Bytes));
        }
    }

    [Fact]
    public void Refuses_code_in_the_object_pickle_at_the_opcode()
    {
        var bytes = File.ReadAllBytes(CheckpointData.File("torch113_legacy_wrapped.pt"));
        var text = System.Text.Encoding.ASCII.GetBytes("collections\nOrderedDict\n");
        int at = bytes.AsSpan().IndexOf(text);
        var hostile = bytes.ToArray();
        System.Text.Encoding.ASCII.GetBytes("os         \nsystem     \n").CopyTo(hostile, at);
        var e = Assert.Throws<OfaFormatException>(() => TorchCheckpoint.ReadStateDict(new MemoryStream(hostile), "evil.pth"));
        Assert.Contains("evil.pth: refuses to load global 'os         .system", e.Message);
    }

    [Fact]
    public void Refuses_truncated_and_extended_files_naming_them()
    {
        var bytes = File.ReadAllBytes(CheckpointData.File("torch113_legacy_wrapped.pt"));
        foreach (int cut in new[] { 15, 40, 300, bytes.Length - 5 })
        {
            var e = Assert.Throws<OfaFormatException>(() => TorchCheckpoint.ReadStateDict(new MemoryStream(bytes[..cut]), "cut.pth"));
            Assert.StartsWith("cut.pth: ", e.Message);
        }
        var longer = Assert.Throws<OfaFormatException>(() => TorchCheckpoint.ReadStateDict(new MemoryStream([.. bytes, 1, 2]), "long.pth"));
        Assert.Contains("2 unexpected bytes after the last storage", longer.Message);
        var notTorch = Assert.Throws<OfaFormatException>(() => TorchCheckpoint.ReadStateDict(new MemoryStream([0x80, 0x02, 0x4b, 0x01, 0x2e]), "p.pkl"));
        Assert.Contains("not with torch.save's magic number", notTorch.Message);
    }
}
