using TorchSharp.Modules;
using static TorchSharp.torch;
using static OfaBuild.Training.Native.HeldScalars;

namespace OfaBuild.Training.Shrinking;

/// <summary>
/// SGD with Nesterov momentum exactly as torch.optim.SGD computes it, with weight decay only on
/// parameters whose name contains neither "bn" nor "bias" (the reference's no_decay_keys "bn#bias").
/// The momentum buffers are named after their parameters so checkpoints can hold them.
/// </summary>
public sealed class SgdNesterov
{
    private readonly (string Name, Parameter P, bool Decay)[] _parameters;
    private readonly Dictionary<string, Tensor> _buffers = new();

    public double Momentum { get; }
    public double WeightDecay { get; }

    public SgdNesterov(IEnumerable<(string Name, Parameter P)> named, double momentum = 0.9, double weightDecay = 3e-5)
    {
        _parameters = named.Select(x => (x.Name, x.P, !x.Name.Contains("bn") && !x.Name.Contains("bias"))).ToArray();
        Momentum = momentum;
        WeightDecay = weightDecay;
    }

    public IReadOnlyDictionary<string, Tensor> Buffers => _buffers;

    public void ZeroGrad()
    {
        foreach (var (_, p, _) in _parameters) p.grad?.zero_();
    }

    public void Step(double lr)
    {
        using var _ = no_grad();
        foreach (var (name, p, decay) in _parameters)
        {
            var g = p.grad;
            if (g is null) continue;
            using var d = decay && WeightDecay != 0 ? Plus(g, p, WeightDecay) : g.clone();
            if (_buffers.TryGetValue(name, out var buf)) PlusInPlace(TimesInPlace(buf, Momentum), d);
            else _buffers[name] = buf = d.clone().detach().DetachFromDisposeScope(); // outlives the step's scope
            PlusInPlace(d, buf, Momentum);
            PlusInPlace(p, d, -lr);
        }
    }

    /// <summary>Restores momentum buffers saved from <see cref="Buffers"/>.</summary>
    public void LoadBuffers(IEnumerable<KeyValuePair<string, Tensor>> saved)
    {
        foreach (var b in _buffers.Values) b.Dispose();
        _buffers.Clear();
        foreach (var (name, t) in saved) _buffers[name] = t.clone().DetachFromDisposeScope();
    }
}
