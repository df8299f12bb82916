using System.Globalization;
using OfaBuild.Contracts;
using OfaBuild.Core.Accuracy;
using OfaBuild.Core.Latency;
using OfaBuild.Core.Measurement;

namespace OfaBuild.Core.Search;

/// <summary>The reference's hyper-parameters (evolution.py): population 100, 500 generations, top 25% parents, half mutants.</summary>
public sealed record EvolutionOptions
{
    public int Population { get; init; } = 100;
    public int Generations { get; init; } = 500;
    public double ParentRatio { get; init; } = 0.25;
    public double MutationRatio { get; init; } = 0.5;
    public double ResolutionMutateProb { get; init; } = 0.5;
    public double ArchMutateProb { get; init; } = 0.1;
    /// <summary>Redraws allowed per child before giving up (the reference retries forever).</summary>
    public int MaxAttempts { get; init; } = 10_000;
    public ulong Seed { get; init; }

    /// <summary>
    /// What `ofa search` and the build run: 8 <see cref="Starts"/> (the reference's evolution with this seed, and 7 shorter
    /// ones from other seeds), then <see cref="Refine"/> from the best 3. The same seed's result is never worse than the
    /// reference's evolution alone (refinement only moves to a better subnet within the limits).
    /// </summary>
    public static EvolutionOptions Default(ulong seed) => new() { Seed = seed, Refine = true, Starts = 8 };

    /// <summary>
    /// A shorter run (`ofa search --quick`): one evolution that stops once the best has not improved for 50 generations,
    /// then <see cref="Refine"/>. Its result depends more on the seed than <see cref="Default"/>'s (README, "Using the zoo").
    /// </summary>
    public static EvolutionOptions Quick(ulong seed) => new() { Seed = seed, Patience = StartPatience, Refine = true };

    /// <summary>
    /// Independent evolutions, the best of them refined (<see cref="EvolutionSearch.RefinedStarts"/>). The first runs with
    /// <see cref="Seed"/> and these options; the others from seeds derived from it and, unless <see cref="Patience"/> is
    /// given, stop after 50 generations without improvement. A predictor's surface has several basins (a depth, a
    /// resolution, an allocation of kernels); one evolution settles in one of them, which depends on its seed.
    /// </summary>
    public int Starts { get; init; } = 1;

    /// <summary>The patience of <see cref="Quick"/> and of the later <see cref="Starts"/>.</summary>
    internal const int StartPatience = 50;

    /// <summary>
    /// After the evolution, take the ends of the space if one within the limits is predicted higher (see BestOfEnds), then alternate <see cref="KnapsackRefinement"/> (re-spend the latency budget over all blocks) and
    /// <see cref="LocalRefinement"/> (one-change hill climbing, depth and resolution included) until neither improves.
    /// </summary>
    public bool Refine { get; init; }

    /// <summary>Stop once the best has not improved for this many generations (null: run them all).</summary>
    public int? Patience { get; init; }

    /// <summary>
    /// What these options run, for a person: `ofa search` prints it after a search and, without the seed, in its help.
    /// </summary>
    public string Describe(bool withSeed = true)
    {
        var inv = CultureInfo.InvariantCulture;
        string patience = Patience is { } p ? string.Create(inv, $", stopped once {p} generations bring nothing") : "";
        string run = string.Create(inv, $"population {Population}, {Generations} generations{patience}");
        string refine = !Refine ? ", no refinement" : Starts > 1 ? string.Create(inv, $", the best {EvolutionSearch.RefinedStarts} refined") : ", then refinement";
        if (Starts == 1) return string.Create(inv, $"evolution ({(withSeed ? string.Create(inv, $"seed {Seed}, ") : "")}{run}){refine}");
        return string.Create(inv, $"{Starts} evolutions ({(withSeed ? string.Create(inv, $"seed {Seed}") : "the seed")}: {run}; "
            + $"{Starts - 1} derived seeds: stopped once {Patience ?? StartPatience} generations bring nothing){refine}");
    }

    internal void Validate()
    {
        if (Population < 2) throw new OfaException($"Evolution: population {Population} must be at least 2.");
        if (Generations < 0) throw new OfaException($"Evolution: generations {Generations} must be >= 0.");
        if (!(ParentRatio > 0 && ParentRatio <= 1)) throw new OfaException($"Evolution: parent ratio {ParentRatio} must be in (0, 1].");
        if (!(MutationRatio >= 0 && MutationRatio <= 1)) throw new OfaException($"Evolution: mutation ratio {MutationRatio} must be in [0, 1].");
        if (MaxAttempts < 1) throw new OfaException("Evolution: max attempts must be >= 1.");
        if (Patience < 1) throw new OfaException($"Evolution: patience {Patience} must be at least 1 generation.");
        if (Starts < 1) throw new OfaException($"Evolution: starts {Starts} must be at least 1.");
    }
}

/// <summary>
/// Evolutionary search as the reference runs it (ofa/nas/search_algorithm/evolution.py): a population of
/// valid random subnets; each generation keeps the top <c>ParentRatio</c> by predicted accuracy as parents,
/// adds <c>MutationRatio</c> x population mutants of random parents and the rest as uniform crossovers of two
/// random parents, each child redrawn until it meets every constraint. Best-so-far is tracked per generation.
/// One deliberate difference: the last generation's children are also considered for the best (the
/// reference evaluates them but never looks). With several <see cref="EvolutionOptions.Starts"/>, the evolutions run in
/// parallel and the best <see cref="RefinedStarts"/> are refined. Pure function of its inputs and the seed.
/// </summary>
public static class EvolutionSearch
{
    /// <summary>How many of the starts' best subnets (distinct, with the ends of the space) are refined.</summary>
    public const int RefinedStarts = 3;

    /// <param name="progress">Generation and best so far, of the first start.</param>
    /// <param name="onEvaluated">Every evaluated child, start by start.</param>
    public static SearchResult Run(SearchProblem problem, EvolutionOptions? options = null,
        Action<int, Candidate>? progress = null, Action<Candidate>? onEvaluated = null)
    {
        options ??= new EvolutionOptions();
        options.Validate();
        return options.Starts == 1 ? RunOne(problem, options, progress, onEvaluated) : RunStarts(problem, options, progress, onEvaluated);
    }

    private static SearchResult RunStarts(SearchProblem problem, EvolutionOptions options, Action<int, Candidate>? progress, Action<Candidate>? onEvaluated)
    {
        var runs = new SearchResult[options.Starts];
        var evaluated = new List<Candidate>?[options.Starts];
        // Each start has its own generator and memo, and the results are taken in start order: the same for any thread count.
        OfaParallel.For(options.Starts, i =>
        {
            var one = options with
            {
                Starts = 1,
                Refine = false,
                Seed = i == 0 ? options.Seed : options.Seed + (ulong)i * 0x9E3779B97F4A7C15UL,
                Patience = i == 0 ? options.Patience : options.Patience ?? EvolutionOptions.StartPatience,
            };
            if (onEvaluated is not null) evaluated[i] = [];
            runs[i] = RunOne(problem, one, i == 0 ? progress : null, evaluated[i] is { } list ? list.Add : null);
        });
        if (onEvaluated is not null)
            foreach (var list in evaluated) list!.ForEach(onEvaluated);

        var first = runs[0];
        int evaluations = runs.Sum(r => r.Evaluations);
        if (!options.Refine) return first with { Best = runs.MaxBy(r => r.Best.Accuracy)!.Best, Evaluations = evaluations };
        var ends = EndsWithin(new ValidSampler(problem, options.MaxAttempts), problem.Accuracy, problem.Space);
        var starts = runs.Select(r => r.Best).Concat(ends)
            .DistinctBy(c => c.Config.Canonical(problem.Space))
            .OrderByDescending(c => c.Accuracy) // stable: among equals, the earlier start
            .Take(RefinedStarts).ToArray();
        var refined = new (Candidate Best, int Evaluations)[starts.Length];
        OfaParallel.For(starts.Length, i =>
            refined[i] = Refine(problem with { Accuracy = new MemoizedAccuracy(problem.Accuracy, problem.Space) }, starts[i]));
        var best = refined.Select(r => r.Best).MaxBy(c => c.Accuracy)!; // the first among equals
        evaluations += ends.Count + refined.Sum(r => r.Evaluations);
        return first with { Best = best, BestHistory = [.. first.BestHistory, best.Accuracy], Evaluations = evaluations };
    }

    private static SearchResult RunOne(SearchProblem problem, EvolutionOptions options, Action<int, Candidate>? progress, Action<Candidate>? onEvaluated)
    {
        var space = problem.Space;
        var rng = new Xoshiro256(options.Seed);
        var sampler = new ValidSampler(problem, options.MaxAttempts);
        var accuracy = new MemoizedAccuracy(problem.Accuracy, space);

        int popSize = options.Population;
        int parentsSize = Math.Max(1, (int)Math.Round(options.ParentRatio * popSize, MidpointRounding.ToEven));
        int mutations = (int)Math.Round(options.MutationRatio * popSize, MidpointRounding.ToEven);

        var children = new SubnetConfig[popSize];
        var measures = new double[popSize][];
        var accs = new float[popSize];
        for (int i = 0; i < popSize; i++) (children[i], measures[i]) = sampler.Random(rng);
        accuracy.PredictMany(children, accs);
        var population = new List<Candidate>(popSize + parentsSize);
        for (int i = 0; i < popSize; i++) population.Add(Evaluated(children[i], accs[i], measures[i], onEvaluated));
        int evaluations = popSize;

        Candidate? best = null;
        var history = new List<float>(options.Generations);
        int lastImproved = 0;
        for (int gen = 0; gen < options.Generations; gen++)
        {
            var parents = TopByAccuracy(population, parentsSize);
            if (best is null || parents[0].Accuracy > best.Accuracy) (best, lastImproved) = (parents[0], gen);
            else if (gen - lastImproved >= options.Patience) break;
            history.Add(best.Accuracy);
            progress?.Invoke(gen + 1, best);

            for (int i = 0; i < mutations; i++)
            {
                var p = parents[rng.NextInt(parentsSize)];
                (children[i], measures[i]) = sampler.Mutant(p, rng, options.ResolutionMutateProb, options.ArchMutateProb);
            }
            for (int i = mutations; i < popSize; i++)
            {
                var p1 = parents[rng.NextInt(parentsSize)];
                var p2 = parents[rng.NextInt(parentsSize)];
                (children[i], measures[i]) = sampler.Child(p1, p2, rng);
            }
            accuracy.PredictMany(children, accs);
            evaluations += popSize;
            population = new List<Candidate>(parents);
            for (int i = 0; i < popSize; i++) population.Add(Evaluated(children[i], accs[i], measures[i], onEvaluated));
        }
        var last = TopByAccuracy(population, 1)[0];
        if (best is null || last.Accuracy > best.Accuracy) best = last;
        if (options.Refine)
        {
            int extra;
            (best, extra) = BestOfEnds(sampler, accuracy, space, best);
            evaluations += extra;
            (best, extra) = Refine(problem with { Accuracy = accuracy }, best);
            evaluations += extra;
            history.Add(best.Accuracy);
        }
        return new SearchResult(best, problem.Constraints, history, evaluations, options.Seed);
    }

    /// <summary>
    /// The better of <paramref name="best"/> and the ends of the space within the limits (<see cref="EndsWithin"/>):
    /// the sandwich rule trains the largest and smallest subnets at every step, so they may sit above every neighbour,
    /// where no small move of the evolution or the hill climbing leads.
    /// </summary>
    private static (Candidate Best, int Evaluations) BestOfEnds(ValidSampler sampler, MemoizedAccuracy accuracy, SearchSpace space, Candidate best)
    {
        var ends = EndsWithin(sampler, accuracy, space);
        foreach (var end in ends)
            if (end.Accuracy > best.Accuracy) best = end;
        return (best, ends.Count);
    }

    /// <summary>The ends of the space (<see cref="SubnetSampler.Anchors"/>) that meet every limit, with their predicted accuracy.</summary>
    internal static IReadOnlyList<Candidate> EndsWithin(ValidSampler sampler, IAccuracyModel accuracy, SearchSpace space)
    {
        var ends = new List<(SubnetConfig Config, double[] Measures)>();
        foreach (var c in SubnetSampler.Anchors(space))
            if (sampler.TryMeasure(c, out var m)) ends.Add((c, m));
        var accs = new float[ends.Count];
        accuracy.PredictMany(ends.Select(e => e.Config).ToArray(), accs);
        return ends.Select((e, i) => new Candidate(e.Config, accs[i], e.Measures)).ToArray();
    }

    /// <summary>Knapsack re-allocation and hill climbing, alternated until neither improves (see <see cref="EvolutionOptions.Refine"/>).</summary>
    public static (Candidate Best, int Evaluations) Refine(SearchProblem problem, Candidate start)
    {
        int evaluations = 0;
        while (true)
        {
            var (spent, e1) = KnapsackRefinement.Run(problem, start);
            var (climbed, e2) = LocalRefinement.Run(problem, spent);
            evaluations += e1 + e2;
            bool improved = climbed.Accuracy > start.Accuracy;
            start = climbed;
            if (!improved) return (start, evaluations);
        }
    }

    private static Candidate Evaluated(SubnetConfig c, float acc, double[] m, Action<Candidate>? sink)
    {
        var cand = new Candidate(c, acc, m);
        sink?.Invoke(cand);
        return cand;
    }

    /// <summary>The reference's order: sort ascending by accuracy (stable), reverse, take the first n; so among equal accuracies the later one leads.</summary>
    internal static Candidate[] TopByAccuracy(List<Candidate> population, int n)
    {
        var idx = new int[population.Count];
        for (int i = 0; i < idx.Length; i++) idx[i] = i;
        Array.Sort(idx, (a, b) =>
        {
            int c = population[b].Accuracy.CompareTo(population[a].Accuracy);
            return c != 0 ? c : b.CompareTo(a);
        });
        var top = new Candidate[Math.Min(n, idx.Length)];
        for (int i = 0; i < top.Length; i++) top[i] = population[idx[i]];
        return top;
    }
}

/// <summary>Rejection sampling against the constraints, with a cap on redraws.</summary>
internal sealed class ValidSampler
{
    private readonly SearchProblem _p;
    private readonly int _maxAttempts;
    private (SubnetConfig Config, double[] Measures)? _fallback;
    private bool _fallbackChecked;

    public ValidSampler(SearchProblem problem, int maxAttempts)
    {
        _p = problem;
        _maxAttempts = maxAttempts;
    }

    public bool TryMeasure(SubnetConfig c, out double[] measures)
    {
        var cs = _p.Constraints;
        // Most redraws fail the first (latency) limit: allocate only for a subnet that fits.
        double first = cs.Count > 0 ? cs[0].Measure(c) : 0;
        if (cs.Count > 0 && !(first <= cs[0].Limit))
        {
            measures = [];
            return false;
        }
        measures = new double[cs.Count];
        if (cs.Count > 0) measures[0] = first;
        for (int i = 1; i < cs.Count; i++)
        {
            measures[i] = cs[i].Measure(c);
            if (!(measures[i] <= cs[i].Limit)) return false;
        }
        return true;
    }

    public (SubnetConfig, double[]) Random(Xoshiro256 rng)
    {
        for (int a = 0; a < _maxAttempts; a++)
        {
            var c = SubnetConfig.Sample(_p.Space, rng.NextInt);
            if (TryMeasure(c, out var m)) return (c, m);
        }
        // Uniform samples may all miss a tight but reachable budget; the smallest subnets may still fit.
        return Fallback() ?? throw Impossible(_p, _maxAttempts);
    }

    public (SubnetConfig, double[]) Mutant(Candidate parent, Xoshiro256 rng, double resProb, double archProb)
    {
        for (int a = 0; a < _maxAttempts; a++)
        {
            var c = SpaceMoves.Mutate(_p.Space, parent.Config, rng, resProb, archProb);
            if (TryMeasure(c, out var m)) return (c, m);
        }
        return (parent.Config, parent.Measures);
    }

    public (SubnetConfig, double[]) Child(Candidate a, Candidate b, Xoshiro256 rng)
    {
        for (int t = 0; t < _maxAttempts; t++)
        {
            var c = SpaceMoves.Crossover(a.Config, b.Config, rng);
            if (TryMeasure(c, out var m)) return (c, m);
        }
        return (a.Config, a.Measures);
    }

    private (SubnetConfig, double[])? Fallback()
    {
        if (!_fallbackChecked)
        {
            _fallbackChecked = true;
            foreach (var c in SubnetConfig.SmallestPerResolution(_p.Space))
                if (TryMeasure(c, out var m)) { _fallback = (c, m); break; }
        }
        return _fallback;
    }

    /// <summary>The smallest value a constraint's measure reaches over the smallest configs (null if none can be measured).</summary>
    public static (double Value, SubnetConfig Config)? Minimum(SearchSpace space, Constraint c)
    {
        (double, SubnetConfig)? best = null;
        foreach (var cfg in SubnetConfig.SmallestPerResolution(space))
        {
            double v;
            try { v = c.Measure(cfg); } catch (OfaException) { continue; }
            if (best is null || v < best.Value.Item1) best = (v, cfg);
        }
        return best;
    }

    public static OfaException Impossible(SearchProblem p, int attempts)
    {
        var inv = CultureInfo.InvariantCulture;
        var parts = new List<string>();
        foreach (var c in p.Constraints)
        {
            var min = Minimum(p.Space, c);
            if (min is null) continue;
            if (min.Value.Value > c.Limit)
                parts.Add(string.Create(inv, $"the smallest {c.Name} the space '{p.Space.Name}' reaches") +
                          (c.IsLatency ? $" on {c.Device} ({c.TableKind!.Value.Name()} table)" : "") +
                          // A latency reads as every other predicted latency (LatencyText), a count as a count.
                          string.Create(inv, $" is {(c.IsLatency ? LatencyText.Ms(min.Value.Value) : $"{min.Value.Value:0.###} {c.Unit}")} (smallest subnet at resolution {min.Value.Config.R}); the budget is {LatencyText.Given(c.Limit)} {c.Unit}"));
        }
        string why = parts.Count > 0
            ? string.Join("; ", parts) + ". Raise the budget to at least that."
            : "the smallest subnets meet each limit alone but not all together; relax one of the limits.";
        return new OfaException(
            $"No subnet meets {string.Join(" and ", p.Constraints.Select(c => c.Describe()))} " +
            string.Create(inv, $"({attempts:N0} random samples tried): {why}"));
    }
}
