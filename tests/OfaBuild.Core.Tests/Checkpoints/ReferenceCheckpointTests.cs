using System.Text.Json;

namespace OfaBuild.Core.Tests.Checkpoints;

/// <summary>The shared fixture: torch.save(state_dict) of the reference OFAMobileNetV3 (PyTorch 1.13.1), floating tensors in float16.</summary>
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
            Assert.Equal(DType.F16, tensor.DType);
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
    public void Float_tensors_widened_to_F32_pass_the_supernet_layout_check()
    {
        var floats = new TensorSet(Supernet.Value.Source, Supernet.Value.Items
            .Where(kv => !kv.Key.EndsWith(".num_batches_tracked", StringComparison.Ordinal))
            .Select(kv => KeyValuePair.Create(kv.Key, kv.Value.ToF32())));
        SupernetLayout.Check(Presets.Get(Presets.MobileNetV3W10, 10), floats);
    }

    // Expected values printed once with Debian's PyTorch 1.13 (/usr/bin/python3):
    //   sd = torch.load('supernet_state_dict.pt', map_location='cpu'); sd[name][index].item()
    // and the sums with sum(v.double().sum().item() for v in sd.values() if v.dtype == torch.float16).
    [Theory]
    [InlineData("first_conv.conv.weight", 0, 0.0579833984375)]
    [InlineData("first_conv.conv.weight", ((15 * 3 + 2) * 3 + 2) * 3 + 1, -0.0758056640625)]
    [InlineData("blocks.5.conv.depth_conv.conv.7to5_matrix", 3 * 25 + 4, 0.054656982421875)]
    [InlineData("blocks.20.conv.depth_conv.se.fc.expand.bias", 7, 0.020904541015625)]
    [InlineData("classifier.linear.bias", 9, 0.1529541015625)]
    [InlineData("final_expand_layer.bn.running_var", 100, 1.1611328125)]
    public void Spot_values_equal_pytorch(string name, int flatIndex, double expected) =>
        Assert.Equal((float)expected, Supernet.Value[name].ToF32().F32[flatIndex]);

    [Fact]
    public void Sum_of_all_float_values_equals_pytorch()
    {
        double sum = Supernet.Value.Items.Where(kv => kv.Value.DType == DType.F16).Sum(kv => kv.Value.ToF32().F32.Sum(v => (double)v));
        Assert.Equal(33599.541345357895, sum, 1e-6);
        Assert.Equal(-1.1013329029083252, Supernet.Value["classifier.linear.weight"].ToF32().F32.Sum(v => (double)v), 1e-9);
    }
}
