using System.Text.Json;
using OfaBuild.Core.Checkpoints;
using OfaBuild.Core.Space;
using OfaBuild.Core.Tensors;

namespace OfaBuild.Core.Tests.Checkpoints;

/// <summary>The shared fixture: torch.save(state_dict) of the reference OFAMobileNetV3 (PyTorch 1.13.1).</summary>
public class ReferenceCheckpointTests
{
    private static readonly Lazy<TensorSet> Supernet = new(() => TorchCheckpoint.ReadStateDict(Fixtures.Reference("supernet_state_dict.pt")));

    [Fact]
    public void Reads_every_tensor_with_the_manifest_shapes()
    {
        var set = Supernet.Value;
        using var manifest = JsonDocument.Parse(File.ReadAllText(Fixtures.Reference("supernet_manifest.json")));
        var floats = manifest.RootElement.GetProperty("tensors").EnumerateArray().ToList();
        var buffers = manifest.RootElement.GetProperty("dropped_non_float").EnumerateArray().Select(e => e.GetString()!).ToList();

        Assert.Equal(411, floats.Count);
        Assert.Equal(64, buffers.Count);
        Assert.Equal(floats.Count + buffers.Count, set.Count);
        foreach (var t in floats)
        {
            var name = t.GetProperty("name").GetString()!;
            var shape = t.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
            Assert.True(set.TryGet(name, out var tensor), name);
            Assert.Equal(DType.F32, tensor.DType);
            Assert.Equal(shape, tensor.Shape);
        }
        foreach (var name in buffers)
        {
            Assert.EndsWith(".num_batches_tracked", name);
            Assert.Equal(DType.I64, set[name].DType);
            Assert.Empty(set[name].Shape);
            Assert.Equal(0L, BitConverter.ToInt64(set[name].Bytes)); // the reference never ran a training step
        }
    }

    [Fact]
    public void Float_tensors_pass_the_supernet_layout_check()
    {
        var floats = new TensorSet(Supernet.Value.Source,
            Supernet.Value.Items.Where(kv => !kv.Key.EndsWith(".num_batches_tracked", StringComparison.Ordinal)));
        SupernetLayout.Check(Presets.Get(Presets.MobileNetV3W10, 10), floats);
    }

    // Expected values printed once with Debian's PyTorch 1.13 (/usr/bin/python3):
    //   sd = torch.load('supernet_state_dict.pt', map_location='cpu'); sd[name][index].item()
    // and the sums with sum(v.double().sum().item() for v in sd.values() if v.dtype == torch.float32).
    [Theory]
    [InlineData("first_conv.conv.weight", 0, 0.057990122586488724)]
    [InlineData("first_conv.conv.weight", ((15 * 3 + 2) * 3 + 2) * 3 + 1, -0.07582629472017288)]
    [InlineData("blocks.5.conv.depth_conv.conv.7to5_matrix", 3 * 25 + 4, 0.054662615060806274)]
    [InlineData("blocks.20.conv.depth_conv.se.fc.expand.bias", 7, 0.020898720249533653)]
    [InlineData("classifier.linear.bias", 9, 0.1529608964920044)]
    [InlineData("final_expand_layer.bn.running_var", 100, 1.1611201763153076)]
    public void Spot_values_equal_pytorch(string name, int flatIndex, double expected) =>
        Assert.Equal((float)expected, Supernet.Value[name].F32[flatIndex]);

    [Fact]
    public void Sum_of_all_float_values_equals_pytorch()
    {
        double sum = Supernet.Value.Items.Where(kv => kv.Value.DType == DType.F32).Sum(kv => kv.Value.F32.Sum(v => (double)v));
        Assert.Equal(33599.60211424417, sum, 1e-6);
        Assert.Equal(-1.1012125510223996, Supernet.Value["classifier.linear.weight"].F32.Sum(v => (double)v), 1e-9);
    }
}
