namespace OfaBuild.Runtime;

/// <summary>From logits to what the generated Predict returns.</summary>
public static class OfaScores
{
    /// <summary>
    /// Replaces logits by softmax probabilities in place and returns the index of the largest (the first on ties).
    /// Subtracting the maximum first keeps exp() finite for large logits.
    /// </summary>
    public static int SoftmaxInPlace(Span<float> scores)
    {
        if (scores.IsEmpty) throw new ArgumentException("No scores: the model has no labels.", nameof(scores));
        int best = 0;
        for (int i = 1; i < scores.Length; i++) if (scores[i] > scores[best]) best = i;
        float max = scores[best];
        float sum = 0;
        for (int i = 0; i < scores.Length; i++) sum += scores[i] = MathF.Exp(scores[i] - max);
        for (int i = 0; i < scores.Length; i++) scores[i] /= sum;
        return best;
    }

    /// <summary>
    /// <see cref="SoftmaxInPlace(Span{float})"/> of each of <paramref name="count"/> samples' <paramref name="labels"/> scores,
    /// laid out one after another; each sample's top label index goes into <paramref name="best"/>.
    /// </summary>
    internal static void SoftmaxInPlace(Span<float> scores, int count, int labels, Span<int> best)
    {
        for (int i = 0; i < count; i++)
            best[i] = SoftmaxInPlace(scores.Slice(i * labels, labels));
    }
}
