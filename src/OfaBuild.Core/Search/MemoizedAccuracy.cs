using System.Runtime.InteropServices;
using OfaBuild.Core.Accuracy;
using OfaBuild.Core.Latency;
using OfaBuild.Core.Space;

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
    private readonly int _maxDepth = space.MaxDepth, _k0 = space.KernelSizes[0], _e0 = space.ExpandRatios[0];

    public int Predicted { get; private set; }

    public void PredictMany(ReadOnlySpan<SubnetConfig> configs, Span<float> accuracy)
    {
        // Each config is looked up once: known ones are answered at once, the others get their place in the batch.
        var missing = new List<SubnetConfig>();
        var pending = new Dictionary<SubnetConfig, int>();
        var place = new int[configs.Length];
        for (int i = 0; i < configs.Length; i++)
        {
            var key = configs[i].Canonical(_maxDepth, _k0, _e0);
            if (_known.TryGetValue(key, out float known))
            {
                accuracy[i] = known;
                place[i] = -1;
                continue;
            }
            ref int j = ref CollectionsMarshal.GetValueRefOrAddDefault(pending, key, out bool seen);
            if (!seen)
            {
                j = missing.Count;
                missing.Add(key);
            }
            place[i] = j;
        }
        if (missing.Count == 0) return;
        var fresh = new float[missing.Count];
        inner.PredictMany(CollectionsMarshal.AsSpan(missing), fresh);
        for (int j = 0; j < fresh.Length; j++) _known[missing[j]] = fresh[j];
        Predicted += fresh.Length;
        for (int i = 0; i < configs.Length; i++)
            if (place[i] >= 0) accuracy[i] = fresh[place[i]];
    }
}
