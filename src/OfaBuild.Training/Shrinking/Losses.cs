using static TorchSharp.torch;

namespace OfaBuild.Training.Shrinking;

/// <summary>The reference's training losses.</summary>
public static class Losses
{
    public const double LabelSmoothing = 0.1;

    /// <summary>Cross entropy against one-hot labels smoothed by 0.1 (CrossEntropyLossWithLabelSmoothing).</summary>
    public static Tensor SmoothedCrossEntropy(Tensor logits, Tensor labels) =>
        nn.functional.cross_entropy(logits, labels, label_smoothing: LabelSmoothing);

    /// <summary>cross_entropy_loss_with_soft_target: mean over the batch of -sum(target * log_softmax(logits)).</summary>
    public static Tensor SoftTargetCrossEntropy(Tensor logits, Tensor softTarget) =>
        (-(softTarget * nn.functional.log_softmax(logits, 1)).sum(1)).mean();
}
