using OfaBuild.Core.Space;
using OfaBuild.Core.Specialization;

namespace OfaBuild.Core.Search;

/// <summary>
/// The ladder of an adaptive target (after Dynamic-OFA): rung 0 is the subnet chosen for the budget; rung i of
/// <c>levels</c> is the most accurate point of the Pareto front under <c>0.5^(i / (levels - 1))</c> of rung 0's
/// predicted latency (3 levels: about 71 % and 50 %), never below the smallest reachable latency, at rung 0's
/// resolution or below (the runtime resizes rung 0's input for a lower one). The front pools every subnet the
/// rungs' evolution runs evaluated. A rung is kept only if it is faster than the rung above and its predicted
/// accuracy lower by at least <see cref="MinAccuracyStep"/>: rungs that differ in accuracy, so each step down trades
/// accuracy for latency and no two rungs are near-duplicates; a ladder may so have fewer rungs than asked.
/// Pure: the same inputs give the same ladder.
/// </summary>
public static class AdaptiveLadder
{
    /// <summary>Smallest predicted-accuracy drop between neighbouring rungs: 0.1 percentage point of top-1.</summary>
    public const float MinAccuracyStep = 0.001f;

    /// <summary>Share of rung 0's predicted latency that rung <paramref name="rung"/> of <paramref name="levels"/> is searched under.</summary>
    public static double Share(int rung, int levels) => Math.Pow(0.5, (double)rung / (levels - 1));

    /// <param name="problem">The target's problem; its latency constraint (the first) is the axis.</param>
    /// <param name="top">Rung 0, the subnet chosen for the budget.</param>
    /// <returns>The lower rungs (rung 1, 2, ...), each faster and less accurate than the one above.</returns>
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
        var above = topCandidate;
        foreach (double limit in limits)
        {
            var best = front.LastOrDefault(c => c.Measures[axis] <= limit);
            if (best is null || !(best.Measures[axis] < above.Measures[axis]) || !(best.Accuracy <= above.Accuracy - MinAccuracyStep)) continue;
            rungs.Add(best);
            above = best;
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
