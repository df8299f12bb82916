using OfaBuild.Core.Space;
using OfaBuild.Core.Specialization;

namespace OfaBuild.Core.Search;

/// <summary>
/// The ladder of an adaptive target (after Dynamic-OFA): rung 0 is the subnet chosen for the budget; rung i of
/// <c>levels</c> is the most accurate point of the Pareto front under <c>0.5^(i / (levels - 1))</c> of rung 0's
/// predicted latency (3 levels: about 71 % and 50 %), never below the smallest reachable latency, at rung 0's
/// resolution or below (the runtime resizes rung 0's input for a lower one). The front pools every subnet the
/// rungs' evolution runs evaluated, so along it accuracy falls strictly with latency.
/// Rungs differ in accuracy: each is faster than the rung above and no more accurate than it; a lower rung within
/// <see cref="MinAccuracyStep"/> of the lower rung above replaces it (the same accuracy, faster), so no two lower
/// rungs are near-duplicates and the ladder may have fewer rungs than asked. The first lower rung may be as accurate
/// as rung 0 (a flat front near the top): a step down that costs nothing. Pure: the same inputs, the same ladder.
/// </summary>
public static class AdaptiveLadder
{
    /// <summary>Smallest predicted-accuracy drop between neighbouring lower rungs: 0.1 percentage point of top-1.</summary>
    public const float MinAccuracyStep = 0.001f;

    /// <summary>Share of rung 0's predicted latency that rung <paramref name="rung"/> of <paramref name="levels"/> is searched under.</summary>
    public static double Share(int rung, int levels) => Math.Pow(0.5, (double)rung / (levels - 1));

    /// <param name="problem">The target's problem; its latency constraint (the first) is the axis.</param>
    /// <param name="top">Rung 0, the subnet chosen for the budget.</param>
    /// <returns>The lower rungs (rung 1, 2, ...), each faster and no more accurate than the one above.</returns>
    public static IReadOnlyList<Candidate> LowerRungs(SearchProblem problem, SubnetConfig top, int levels, EvolutionOptions? options = null)
    {
        if (levels < 2 || levels > PlannedTarget.MaxLevels) throw new OfaException($"An adaptive target has 2 to {PlannedTarget.MaxLevels} levels (rungs), not {levels}.");
        options ??= new EvolutionOptions();
        int axis = problem.Constraints.ToList().FindIndex(c => c.IsLatency);
        if (axis < 0) throw new OfaException("An adaptive ladder needs a latency constraint to step down.");
        var space = problem.Space with { Resolutions = [.. problem.Space.Resolutions.Where(r => r <= top.R)] };
        var latency = problem.Constraints[axis];
        var topCandidate = Evaluate(problem, top);
        double topMs = topCandidate.Measures[axis];
        double floorMs = ValidSampler.Minimum(space, latency)?.Value ?? topMs;

        var limits = Enumerable.Range(1, levels - 1).Select(i => Math.Max(floorMs, Share(i, levels) * topMs)).ToArray();
        var pool = new List<Candidate>();
        foreach (var (limit, i) in limits.Distinct().Select((l, i) => (l, i)))
        {
            var constraints = problem.Constraints.Select((c, k) => k == axis ? c with { Limit = limit } : c).ToArray();
            var rungOptions = options with { Seed = options.Seed + (ulong)(i + 1) * 0x9E3779B97F4A7C15UL };
            EvolutionSearch.Run(problem with { Space = space, Constraints = constraints }, rungOptions, onEvaluated: pool.Add);
        }
        var front = ParetoSearch.Of(pool, axis);

        var rungs = new List<Candidate>();
        foreach (double limit in limits)
        {
            var best = front.LastOrDefault(c => c.Measures[axis] <= limit);
            var above = rungs.Count > 0 ? rungs[^1] : topCandidate;
            if (best is null || !(best.Measures[axis] < above.Measures[axis]) || best.Accuracy > above.Accuracy) continue;
            if (rungs.Count > 0 && best.Accuracy > above.Accuracy - MinAccuracyStep) rungs[^1] = best;
            else rungs.Add(best);
        }
        return rungs;
    }

    private static Candidate Evaluate(SearchProblem problem, SubnetConfig config)
    {
        var acc = new float[1];
        problem.Accuracy.PredictMany([config], acc);
        return new Candidate(config, acc[0], problem.Constraints.Select(c => c.Measure(config)).ToArray());
    }
}
