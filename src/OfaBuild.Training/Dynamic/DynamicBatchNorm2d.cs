using TorchSharp.Modules;
using static TorchSharp.torch;
using static OfaBuild.Training.Native.HeldScalars;

namespace OfaBuild.Training.Dynamic;

/// <summary>
/// Batch norm over the active prefix of a maximal BatchNorm2d (reference DynamicBatchNorm2d).
/// The statistics are narrowed views, so training updates the prefix of the running statistics in place.
/// While <see cref="Recalibration"/> is set, the layer normalises with the batch's own statistics and
/// records them instead (reference set_running_statistics).
/// </summary>
internal sealed class DynamicBatchNorm2d : nn.Module<Tensor, Tensor>, IBatchNormLayer
{
    public const double Momentum = 0.1, Eps = 1e-5;

    private readonly BatchNorm2d bn;

    public BatchNorm2d Bn => bn;

    /// <summary>Set by BN recalibration: receives each batch's mean and biased variance.</summary>
    public BnStatistics? Recalibration { get; set; }

    public DynamicBatchNorm2d(int maxFeatures) : base(nameof(DynamicBatchNorm2d))
    {
        bn = nn.BatchNorm2d(maxFeatures, eps: Eps, momentum: Momentum);
        register_module("bn", bn);
    }

    public override Tensor forward(Tensor x) => Forward(bn, x, training, Recalibration);

    /// <summary>Shared by the static and the dynamic layers: prefix BN, or recalibration.</summary>
    internal static Tensor Forward(BatchNorm2d bn, Tensor x, bool training, BnStatistics? recalibration)
    {
        int c = (int)x.shape[1];
        Tensor Prefix(Tensor t) => t.shape[0] == c ? t : t.narrow(0, 0, c);
        var weight = Prefix(bn.weight!);
        var bias = Prefix(bn.bias!);
        if (recalibration is not null)
        {
            using var scope = NewDisposeScope();
            var mean = x.mean([0, 2, 3], keepdim: false);
            var variance = Squared(x - mean.view(1, c, 1, 1)).mean([0, 2, 3], keepdim: false);
            recalibration.Add(mean.detach(), variance.detach(), x.shape[0]);
            return nn.functional.batch_norm(x, mean, variance, weight, bias, false, 0.0, Eps).MoveToOuterDisposeScope();
        }
        return nn.functional.batch_norm(x, Prefix(bn.running_mean!), Prefix(bn.running_var!), weight, bias, training, Momentum, Eps);
    }
}

/// <summary>Size-weighted running average of per-batch mean and variance (the reference's AverageMeter pair).</summary>
internal sealed class BnStatistics
{
    private Tensor? _meanSum, _varSum;
    public long Count { get; private set; }

    public void Add(Tensor mean, Tensor variance, long n)
    {
        using var _ = no_grad();
        var m = Times(mean, n).detach();
        var v = Times(variance, n).detach();
        // The sums outlive the batch's dispose scope.
        if (_meanSum is null) { _meanSum = m.DetachFromDisposeScope(); _varSum = v.DetachFromDisposeScope(); }
        else
        {
            if (_meanSum.shape[0] != m.shape[0])
                throw new InvalidOperationException("BN recalibration saw two widths for one layer; the active subnet changed during recalibration.");
            PlusInPlace(_meanSum, m); PlusInPlace(_varSum!, v);
            m.Dispose(); v.Dispose();
        }
        Count += n;
    }

    public (Tensor Mean, Tensor Var)? Result => _meanSum is null ? null : (Over(_meanSum, Count), Over(_varSum!, Count));
}
