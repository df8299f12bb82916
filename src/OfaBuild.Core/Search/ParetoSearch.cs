namespace OfaBuild.Core.Search;

/// <summary>
/// The accuracy / latency front: the search at several budgets between the smallest reachable latency and
/// the given one, every evaluated subnet and each budget's result pooled with the ends of the space within the limits
/// (which no mutation reaches, and which the sandwich rule may put above every neighbour), the non-dominated ones kept
/// (sorted by latency, ascending; accuracy then strictly rises along the front). The given budget is searched with the
/// options' own seed, so the front there is never below what `ofa search` finds with them.
/// </summary>
public static class ParetoSearch
{
    public sealed record Front(IReadOnlyList<Candidate> Points, int CostConstraint, IReadOnlyList<Constraint> Constraints, int Evaluations)
    {
        public Constraint Cost => Constraints[CostConstraint];
    }

    /// <param name="levels">Budgets searched, evenly spaced up to the limit of the cost constraint.</param>
    public static Front Run(SearchProblem problem, EvolutionOptions? options = null, int levels = 5, Action<int, int, Candidate>? progress = null)
    {
        options ??= new EvolutionOptions();
        if (problem.Constraints.Count == 0) throw new OfaException("Pareto search needs a latency (or other) limit to trade accuracy against.");
        if (levels < 1) throw new OfaException($"Pareto search: levels {levels} must be >= 1.");
        int axis = Math.Max(0, problem.Constraints.ToList().FindIndex(c => c.IsLatency));
        var cost = problem.Constraints[axis];
        var min = ValidSampler.Minimum(problem.Space, cost);
        if (min is null || min.Value.Value > cost.Limit) throw ValidSampler.Impossible(problem, options.MaxAttempts);

        var all = new List<Candidate>();
        int evaluations = 0;
        for (int level = 0; level < levels; level++)
        {
            double limit = min.Value.Value + (cost.Limit - min.Value.Value) * (level + 1) / levels;
            var constraints = problem.Constraints.Select((c, i) => i == axis ? c with { Limit = limit } : c).ToArray();
            var levelOptions = options with { Seed = options.Seed + (ulong)(levels - 1 - level) * 0x9E3779B97F4A7C15UL };
            var r = EvolutionSearch.Run(problem with { Constraints = constraints }, levelOptions,
                progress is null ? null : (g, b) => progress(level + 1, g, b), all.Add);
            all.Add(r.Best);
            evaluations += r.Evaluations;
        }
        var ends = EvolutionSearch.EndsWithin(new ValidSampler(problem, options.MaxAttempts), problem.Accuracy, problem.Space);
        all.AddRange(ends);
        // Canonical, so a point prints and compares as the search's pick of the same subnet (inactive slots smallest).
        var points = Of(all, axis).Select(c => c with { Config = c.Config.Canonical(problem.Space) }).ToArray();
        return new Front(points, axis, problem.Constraints, evaluations + ends.Count);
    }

    /// <summary>The non-dominated candidates (higher accuracy, lower <paramref name="axis"/> measure), by ascending measure.</summary>
    public static IReadOnlyList<Candidate> Of(IEnumerable<Candidate> candidates, int axis)
    {
        var sorted = candidates.OrderBy(c => c.Measures[axis]).ThenByDescending(c => c.Accuracy).ToList();
        var front = new List<Candidate>();
        float bestAcc = float.NegativeInfinity;
        foreach (var c in sorted)
        {
            if (!(c.Accuracy > bestAcc)) continue;
            front.Add(c);
            bestAcc = c.Accuracy;
        }
        return front;
    }
}
