using OfaBuild.Core.Import;
using OfaBuild.Core.Space;
using OfaBuild.Training.Networks;
using static TorchSharp.torch;

namespace OfaBuild.Training.Tests;

/// <summary>The reference's PyTorch supernet state dict, loaded into the TorchSharp supernet, gives the reference's logits.</summary>
public class ReferenceParityTests
{
    private static readonly Lazy<OfaMobileNetV3> Net = new(() =>
    {
        var weights = ReferenceImporter.ReadWeights(Fixtures.Reference("supernet_state_dict.pt"));
        var net = new OfaMobileNetV3(Presets.Get(Presets.MobileNetV3W10, 10));
        net.Load(weights);
        net.eval();
        return net;
    });

    public static IEnumerable<object[]> Cases => ReferenceCase.Names;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Logits_match_the_reference(string name)
    {
        var c = ReferenceCase.Get(name);
        var net = Net.Value;
        lock (net)
        {
            net.SetActiveSubnet(c.Config);
            using var _ = no_grad();
            using var scope = NewDisposeScope();
            var x = tensor(ReferenceCase.ClosedFormInput(2, 3, c.Config.R), [2, 3, c.Config.R, c.Config.R]);
            var logits = net.call(x);
            for (int n = 0; n < 2; n++)
                for (int k = 0; k < 10; k++)
                {
                    float got = logits[n, k].item<float>();
                    Assert.True(Math.Abs(got - c.Logits[n][k]) <= 1e-5f, $"{name} logit [{n},{k}]: {got} vs reference {c.Logits[n][k]}");
                }
        }
    }
}
