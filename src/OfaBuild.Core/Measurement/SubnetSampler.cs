using OfaBuild.Core.Search;

namespace OfaBuild.Core.Measurement;

/// <summary>
/// The subnets an accuracy dataset is measured on: the smallest and the largest at every resolution,
/// then uniform samples (each slot's kernel and expand, each stage's depth, the resolution), without repeats.
/// </summary>
public static class SubnetSampler
{
    /// <summary>The smallest and the largest subnet at every resolution: the ends of the space, which the predictor always trains on.</summary>
    public static IEnumerable<SubnetConfig> Anchors(SearchSpace space) =>
        space.Resolutions.SelectMany(r => new[] { SubnetConfig.Smallest(space, r).Canonical(space), SubnetConfig.Largest(space, r).Canonical(space) });

    public static IReadOnlyList<SubnetConfig> Spread(SearchSpace space, int count, ulong seed)
    {
        var rng = new Xoshiro256(seed);
        var seen = new HashSet<SubnetConfig>();
        var list = new List<SubnetConfig>();
        void Add(SubnetConfig c)
        {
            var canonical = c.Canonical(space);
            if (list.Count < count && seen.Add(canonical)) list.Add(canonical);
        }
        foreach (var anchor in Anchors(space)) Add(anchor);
        for (int attempts = 0; list.Count < count && attempts < count * 100; attempts++)
            Add(SubnetConfig.Sample(space, rng.NextInt));
        return list;
    }
}
