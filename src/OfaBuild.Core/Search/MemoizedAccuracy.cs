using OfaBuild.Core.Accuracy;
using OfaBuild.Core.Latency;

namespace OfaBuild.Core.Search;

/// <summary>
/// Remembers each subnet's predicted accuracy for one search: evolution re-creates the same subnets many
/// times (on the Note10 tutorial 4,000–15,000 distinct among 50,100 children), and the predictor gives a
/// subnet the same value whatever batch it is in, so the search's result does not change. Keyed by the
/// canonical config (inactive slots' fillers ignored).
/// </summary>
internal sealed class MemoizedAccuracy(IAccuracyModel inner, SearchSpace space) : IAccuracyModel
{
    private readonly Dictionary<SubnetConfig, float> _known = [];

    public int Predicted { get; private set; }

    public void PredictMany(ReadOnlySpan<SubnetConfig> configs, Span<float> accuracy)
    {
        var keys = new SubnetConfig[configs.Length];
        var missing = new List<SubnetConfig>();
        var pending = new HashSet<SubnetConfig>();
        for (int i = 0; i < configs.Length; i++)
        {
            keys[i] = configs[i].Canonical(space);
            if (!_known.ContainsKey(keys[i]) && pending.Add(keys[i])) missing.Add(keys[i]);
        }
        if (missing.Count > 0)
        {
            var fresh = new float[missing.Count];
            inner.PredictMany(missing.ToArray(), fresh);
            for (int i = 0; i < fresh.Length; i++) _known[missing[i]] = fresh[i];
            Predicted += fresh.Length;
        }
        for (int i = 0; i < configs.Length; i++) accuracy[i] = _known[keys[i]];
    }
}
