using OfaBuild.Core;
using OfaBuild.Training.Data;
using OfaBuild.Training.Networks;
using static TorchSharp.torch;
using static OfaBuild.Training.Native.HeldScalars;

namespace OfaBuild.Training.Shrinking;

/// <summary>
/// One progressive-shrinking step (reference train_one_epoch): soft targets from the teacher (train mode,
/// no gradient), then for each sampled subnet a forward pass, label-smoothed cross entropy plus distillation,
/// and a backward pass accumulating gradients; one optimizer step at the end. A subnet whose resolution is not
/// the batch's sees the batch resized by the input rule (<see cref="BatchMaker.Resize"/>), so one batch serves
/// subnets at several resolutions.
/// </summary>
public static class ShrinkingStep
{
    /// <returns>The mean loss over the subnets.</returns>
    public static double Run(OfaMobileNetV3 net, OfaMobileNetV3? teacher, SgdNesterov sgd, Tensor x, Tensor y,
        IReadOnlyList<SubnetConfig> subnets, double learningRate, double kdRatio)
    {
        sgd.ZeroGrad();
        Tensor? soft = null;
        if (teacher is not null)
        {
            using var _ = no_grad();
            soft = nn.functional.softmax(teacher.call(x), 1); // teacher in train mode, as the reference
        }
        double loss = 0;
        foreach (var cfg in subnets)
        {
            net.SetActiveSubnet(cfg);
            var output = net.call(BatchMaker.Resize(x, cfg.R));
            var l = Losses.SmoothedCrossEntropy(output, y);
            if (soft is not null) l = Plus(l, Times(Losses.SoftTargetCrossEntropy(output, soft), kdRatio));
            l.backward();
            loss += l.item<float>();
        }
        sgd.Step(learningRate);
        return loss / subnets.Count;
    }

    /// <summary>The distillation teacher: a frozen copy of the full net, largest subnet, kept in train mode (as the reference).</summary>
    public static OfaMobileNetV3 FrozenTeacher(SearchSpace space, Core.Tensors.TensorSet weights, double dropout)
    {
        var t = new OfaMobileNetV3(space, dropout);
        t.Load(weights);
        foreach (var p in t.parameters()) p.requires_grad = false;
        t.SetActiveSubnet(SubnetConfig.Largest(space));
        t.train();
        return t;
    }
}
