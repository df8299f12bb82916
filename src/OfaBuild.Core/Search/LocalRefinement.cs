namespace OfaBuild.Core.Search;

/// <summary>
/// Best-improvement hill climbing from a subnet: each step predicts every neighbour that meets the constraints
/// (one block's kernel and expand ratio, one stage one block deeper or shallower, another resolution, or one
/// block changed while another is made the smallest, which trades latency between blocks) in one batch, and
/// moves to the best if it beats the current one; when none does, depth and resolution moves over the budget are
/// paid for by re-allocating the blocks (<see cref="KnapsackRefinement.Repair"/>). Evolution finds the right region quickly; this uses the
/// budget's last slack that random moves rarely hit. Pure function of its inputs.
/// </summary>
public static class LocalRefinement
{
    public static (Candidate Best, int Evaluations) Run(SearchProblem problem, Candidate start, int maxSteps = 50)
    {
        var space = problem.Space;
        var sampler = new ValidSampler(problem, 1);
        var current = start;
        var seen = new HashSet<SubnetConfig> { start.Config.Canonical(space) };
        int evaluations = 0;
        for (int step = 0; step < maxSteps; step++)
        {
            var configs = new List<SubnetConfig>();
            var measures = new List<double[]>();
            foreach (var n in Neighbours(space, current.Config))
            {
                var c = n.Canonical(space);
                if (!seen.Add(c) || !sampler.TryMeasure(c, out var m)) continue;
                configs.Add(c);
                measures.Add(m);
            }
            var next = configs.Count == 0 ? null : Best(problem, configs, measures, ref evaluations);
            if (!(next?.Accuracy > current.Accuracy)) next = Repaired(problem, sampler, current, ref evaluations);
            if (next is null) break;
            current = next;
        }
        return (current, evaluations);
    }

    private static Candidate Best(SearchProblem problem, List<SubnetConfig> configs, List<double[]> measures, ref int evaluations)
    {
        var acc = new float[configs.Count];
        problem.Accuracy.PredictMany(configs.ToArray(), acc);
        evaluations += configs.Count;
        int best = 0;
        for (int i = 1; i < acc.Length; i++) if (acc[i] > acc[best]) best = i;
        return new Candidate(configs[best], acc[best], measures[best]);
    }

    /// <summary>
    /// When no move that fits improves: each depth or resolution move that breaks the limits, paid for by re-allocating
    /// the blocks (<see cref="KnapsackRefinement.Repair"/>); the best <see cref="RepairsFollowed"/> of them followed by
    /// <see cref="KnapsackRefinement.Run"/>, and the best result if it beats <paramref name="current"/>. At a full budget
    /// another depth or resolution is reachable only so: one seed's search used to stop 1 point below another's.
    /// </summary>
    private static Candidate? Repaired(SearchProblem problem, ValidSampler sampler, Candidate current, ref int evaluations)
    {
        var fitted = new List<Candidate>();
        foreach (var n in Neighbours(problem.Space, current.Config))
        {
            if (n.R == current.Config.R && n.D.AsSpan().SequenceEqual(current.Config.D)) continue;
            var c = n.Canonical(problem.Space);
            if (sampler.TryMeasure(c, out _)) continue; // fits: tried as a plain move
            var (f, e) = KnapsackRefinement.Repair(problem, c);
            evaluations += e;
            if (f is not null) fitted.Add(f);
        }
        Candidate? best = null;
        foreach (var f in fitted.OrderByDescending(f => f.Accuracy).Take(RepairsFollowed))
        {
            var (spent, e) = KnapsackRefinement.Run(problem, f);
            evaluations += e;
            if (spent.Accuracy > (best?.Accuracy ?? current.Accuracy)) best = spent;
        }
        return best;
    }

    /// <summary>How many repaired moves <see cref="Repaired"/> follows with a knapsack re-allocation.</summary>
    private const int RepairsFollowed = 2;

    private static IEnumerable<SubnetConfig> Neighbours(SearchSpace space, SubnetConfig c)
    {
        int maxDepth = space.MaxDepth;
        var active = Enumerable.Range(0, space.SlotCount).Where(s => c.IsActive(maxDepth, s)).ToArray();
        foreach (int slot in active)
            foreach (int k in space.KernelSizes)
                foreach (int e in space.ExpandRatios)
                    if (k != c.Ks[slot] || e != c.E[slot])
                    {
                        yield return c.WithSlot(slot, k, e);
                        // The same change paid for by making another block the smallest.
                        foreach (int other in active)
                            if (other != slot && (c.Ks[other] != space.KernelSizes[0] || c.E[other] != space.ExpandRatios[0]))
                                yield return c.WithSlot(slot, k, e).WithSlot(other, space.KernelSizes[0], space.ExpandRatios[0]);
                    }
        for (int s = 0; s < c.D.Length; s++)
            foreach (int d in space.Depths)
                if (d != c.D[s])
                {
                    var depths = (int[])c.D.Clone();
                    depths[s] = d;
                    var ks = (int[])c.Ks.Clone();
                    var es = (int[])c.E.Clone();
                    // New blocks start as the smallest.
                    for (int j = c.D[s]; j < d; j++) (ks[s * maxDepth + j], es[s * maxDepth + j]) = (space.KernelSizes[0], space.ExpandRatios[0]);
                    yield return new SubnetConfig(ks, es, depths, c.R);
                }
        foreach (int r in space.Resolutions)
            if (r != c.R) yield return new SubnetConfig(c.Ks, c.E, c.D, r);
    }
}
