using OfaBuild.Core.Specialization;

namespace OfaBuild.Core.Search;

/// <summary>
/// The ladder of an adaptive target (after Dynamic-OFA): rung 0 is the subnet chosen for the budget; the lower rungs
/// reach down to the fastest point of the Pareto front, the smallest predicted latency any subnet at rung 0's resolution
/// or below reaches (the runtime resizes rung 0's input for a lower one). Rung i of <c>levels</c> is the most accurate
/// point of the front under <see cref="Limits"/>: rung 0's predicted latency times (fastest / rung 0)^(i / (levels - 1)),
/// evenly spaced on a log scale, so the bottom rung absorbs the largest slowdown the supernet can (a fixed share such as
/// 50 % covers a 2x slowdown at most, and on an estimated table its measured reach is anyone's guess; the front's
/// endpoints are the same on any table). Each limit is searched as rung 0's budget was (the same options and seed, the
/// build's <see cref="EvolutionOptions.Default"/>), so the front under a limit is never below what `ofa search` finds there
/// among those resolutions; it pools every subnet those searches evaluated, their refined results and the smallest
/// subnets, so along it accuracy falls strictly with latency.
/// Rungs differ in accuracy: each is faster than the rung above and no more accurate than it; a lower rung within
/// <see cref="MinAccuracyStep"/> of the lower rung above replaces it (the same accuracy, faster), so no two lower
/// rungs are near-duplicates and the ladder may have fewer rungs than asked. The first lower rung may be as accurate
/// as rung 0 (a flat front near the top): a step down that costs nothing. Pure: the same inputs, the same ladder.
/// </summary>
public static class AdaptiveLadder
{
    /// <summary>Smallest predicted-accuracy drop between neighbouring lower rungs: 0.1 percentage point of top-1.</summary>
    public const float MinAccuracyStep = 0.001f;

    /// <summary>
    /// The predicted-latency limit of each lower rung (rung 1 to <c>levels - 1</c>): geometric from <paramref name="topMs"/>
    /// down to <paramref name="fastestMs"/>, the last exactly the fastest. Empty when rung 0 is already the fastest.
    /// </summary>
    public static double[] Limits(double topMs, double fastestMs, int levels) =>
        fastestMs < topMs
            ? [.. Enumerable.Range(1, levels - 1).Select(i => i == levels - 1 ? fastestMs : topMs * Math.Pow(fastestMs / topMs, (double)i / (levels - 1)))]
            : [];

    /// <param name="problem">The target's problem; its latency constraint (the first) is the axis.</param>
    /// <param name="top">Rung 0, the subnet chosen for the budget.</param>
    /// <param name="options">The search rung 0 came from (the build's: <see cref="EvolutionOptions.Default"/>), run at each rung's limit.</param>
    /// <returns>The lower rungs (rung 1, 2, ...), each faster and no more accurate than the one above.</returns>
    public static IReadOnlyList<Candidate> LowerRungs(SearchProblem problem, SubnetConfig top, int levels, EvolutionOptions options)
    {
        if (!PlannedTarget.IsValidLevels(levels)) throw new OfaException($"An adaptive ladder: {PlannedTarget.LevelsRefusal("levels", levels)}");
        int axis = problem.Constraints.ToList().FindIndex(c => c.IsLatency);
        if (axis < 0) throw new OfaException("An adaptive ladder needs a latency constraint to step down.");
        var space = problem.Space with { Resolutions = [.. problem.Space.Resolutions.Where(r => r <= top.R)] };
        var topCandidate = Evaluate(problem, top);
        double topMs = topCandidate.Measures[axis];
        // The front's fastest point: the smallest subnet of some resolution (ValidSampler.Minimum's rule), if it meets every constraint.
        var smallest = SubnetConfig.SmallestPerResolution(space).Select(c => TryEvaluate(problem, c)).OfType<Candidate>().Where(c => Meets(problem, c)).ToList();
        double fastestMs = smallest.Count > 0 ? smallest.Min(c => c.Measures[axis]) : topMs;

        var limits = Limits(topMs, fastestMs, levels);
        var pool = new List<Candidate>(smallest);
        foreach (double limit in limits)
        {
            // The build's search with its own seed at every limit (as ParetoSearch at the budget): the front there is never
            // below what `ofa search` finds. Its refined result is no evaluated child, so it joins the pool itself.
            var constraints = problem.Constraints.Select((c, k) => k == axis ? c with { Limit = limit } : c).ToArray();
            pool.Add(EvolutionSearch.Run(problem with { Space = space, Constraints = constraints }, options, onEvaluated: pool.Add).Best);
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

    private static bool Meets(SearchProblem problem, Candidate c) => problem.Constraints.Select((k, i) => c.Measures[i] <= k.Limit).All(ok => ok);

    private static Candidate? TryEvaluate(SearchProblem problem, SubnetConfig config)
    {
        try { return Evaluate(problem, config); }
        catch (OfaException) { return null; } // a resolution the latency table lacks
    }

    private static Candidate Evaluate(SearchProblem problem, SubnetConfig config)
    {
        var acc = new float[1];
        problem.Accuracy.PredictMany([config], acc);
        return new Candidate(config, acc[0], problem.Constraints.Select(c => c.Measure(config)).ToArray());
    }
}
