using System.Text.Json;
using OfaBuild.Training.Shrinking;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OfaBuild.Training.Tests;

/// <summary>
/// <see cref="SgdNesterov"/> against torch.optim.SGD(momentum=0.9, nesterov=True) with two parameter groups
/// (weight decay on, and off for names containing "bn" or "bias"): five steps of a fixed float64 problem whose
/// trajectory tests/fixtures/sgd-nesterov/make_trajectory.py recorded with PyTorch (see its README).
/// </summary>
public class SgdNesterovReferenceTests
{
    [Fact]
    public void Trajectory_matches_torch_optim_SGD()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Fixtures.File("sgd-nesterov", "trajectory.json")));
        var root = json.RootElement;
        static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();
        static long[] Shape(JsonElement e) => e.EnumerateArray().Select(v => v.GetInt64()).ToArray();

        using var scope = NewDisposeScope();
        var parameters = root.GetProperty("shapes").EnumerateObject()
            .Select(s => (Name: s.Name, P: new Parameter(tensor(Doubles(root.GetProperty("initial").GetProperty(s.Name)), Shape(s.Value)))))
            .ToArray();
        var p = parameters.ToDictionary(x => x.Name, x => x.P);
        var x = tensor(Doubles(root.GetProperty("x")), Shape(root.GetProperty("x_shape")));
        var target = tensor(Doubles(root.GetProperty("target")), Shape(root.GetProperty("target_shape")));
        var sgd = new SgdNesterov(parameters, root.GetProperty("momentum").GetDouble(), root.GetProperty("weight_decay").GetDouble());

        int step = 0;
        foreach (var expected in root.GetProperty("steps").EnumerateArray())
        {
            step++;
            sgd.ZeroGrad();
            // The script's forward: Linear (no bias), a BN-like affine, tanh, Linear.
            var z = x.matmul(p["features.conv.weight"].t()) * p["features.bn.weight"] + p["features.bn.bias"];
            var output = z.tanh().matmul(p["classifier.linear.weight"].t()) + p["classifier.linear.bias"];
            var loss = (output - target).pow(2).mean();
            Assert.Equal(expected.GetProperty("loss").GetDouble(), loss.item<double>(), 1e-9);
            loss.backward();
            sgd.Step(expected.GetProperty("lr").GetDouble());

            foreach (var (name, want) in expected.GetProperty("params").EnumerateObject().Select(e => (e.Name, Doubles(e.Value))))
            {
                var got = p[name].detach().flatten().data<double>().ToArray();
                for (int k = 0; k < want.Length; k++)
                    Assert.True(Math.Abs(want[k] - got[k]) <= 1e-6, $"step {step}, {name}[{k}]: ours {got[k]:R}, torch.optim.SGD {want[k]:R}");
            }
        }
        Assert.Equal(5, step);
    }
}
