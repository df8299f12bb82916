using System.Runtime.InteropServices;
using OfaBuild.Core.Accuracy;
using OfaBuild.Core.Latency;

namespace OfaBuild.Core.Search;

/// <summary>
/// Remembers each subnet's predicted accuracy for one search: evolution re-creates the same subnets many
/// times (on the Note10 tutorial 4,000–15,000 distinct among 50,100 children), and the predictor gives a
/// subnet the same value whatever batch it is in, so the search's result does not change. Keyed by the
/// subnet (inactive slots' fillers ignored).
/// </summary>
internal sealed class MemoizedAccuracy(IAccuracyModel inner, SearchSpace space) : IAccuracyModel
{
    private readonly Dictionary<SubnetConfig, float> _known = new(new ActiveBlocksComparer(space.MaxDepth));

    public int Predicted { get; private set; }

    public void PredictMany(ReadOnlySpan<SubnetConfig> configs, Span<float> accuracy)
    {
        // Each config is looked up once, as it is (the comparer ignores inactive slots): known ones are answered at
        // once, the others get their place in the batch; only those are copied in canonical form.
        var missing = new List<SubnetConfig>();
        var pending = new Dictionary<SubnetConfig, int>(_known.Comparer);
        var place = new int[configs.Length];
        for (int i = 0; i < configs.Length; i++)
        {
            if (_known.TryGetValue(configs[i], out float known))
            {
                accuracy[i] = known;
                place[i] = -1;
                continue;
            }
            ref int j = ref CollectionsMarshal.GetValueRefOrAddDefault(pending, configs[i], out bool seen);
            if (!seen)
            {
                j = missing.Count;
                missing.Add(configs[i].Canonical(space));
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

    /// <summary>
    /// Equality of the subnets configs describe: depths, resolution and the active slots' kernels and expands (what
    /// <see cref="SubnetConfig.Canonical(SearchSpace)"/> keeps), without copying them into canonical form.
    /// </summary>
    private sealed class ActiveBlocksComparer(int maxDepth) : IEqualityComparer<SubnetConfig>
    {
        public bool Equals(SubnetConfig? x, SubnetConfig? y)
        {
            if (ReferenceEquals(x, y)) return true;
            if (x is null || y is null || x.R != y.R || !x.D.AsSpan().SequenceEqual(y.D) || x.Ks.Length != y.Ks.Length) return false;
            for (int s = 0; s < x.D.Length; s++)
                for (var (slot, end) = x.ActiveSlots(maxDepth, s); slot < end; slot++)
                    if (x.Ks[slot] != y.Ks[slot] || x.E[slot] != y.E[slot]) return false;
            return true;
        }

        /// <summary>FNV-1a over resolution, depths and the active slots' values.</summary>
        public int GetHashCode(SubnetConfig c)
        {
            const ulong prime = 1099511628211UL;
            ulong h = (14695981039346656037UL ^ (uint)c.R) * prime;
            for (int s = 0; s < c.D.Length; s++)
            {
                h = (h ^ (uint)c.D[s]) * prime;
                for (var (slot, end) = c.ActiveSlots(maxDepth, s); slot < end; slot++)
                    h = (h ^ (uint)(c.Ks[slot] << 8 | c.E[slot])) * prime;
            }
            return (int)(h ^ (h >> 32));
        }
    }
}
