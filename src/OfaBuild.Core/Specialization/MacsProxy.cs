using OfaBuild.Core.Counting;
using OfaBuild.Core.Accuracy;

namespace OfaBuild.Core.Specialization;

/// <summary>
/// The accuracy stand-in for a supernet without a predictor (e.g. an imported checkpoint): bigger
/// subnets are assumed more accurate, so the search returns the subnet with the most MACs that fits.
/// Values are MACs / MACs of the largest subnet, not accuracies; manifests record "macs-proxy".
/// </summary>
public sealed class MacsProxy(SearchSpace space) : IAccuracyModel
{
    private readonly double _largest = SubnetCost.Macs(space, SubnetConfig.Largest(space));

    public void PredictMany(ReadOnlySpan<SubnetConfig> configs, Span<float> accuracy)
    {
        for (int i = 0; i < configs.Length; i++)
            accuracy[i] = (float)(SubnetCost.Macs(space, configs[i]) / _largest);
    }
}
