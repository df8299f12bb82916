namespace OfaBuild.Core.Search;

/// <summary>The baseline: draw valid random subnets (the same rejection sampling) and keep the best predicted one.</summary>
public static class RandomSearch
{
    /// <summary>Subnets evaluated by default: 50,100 matches the reference evolution's 100 + 500 x 100 (<see cref="EvolutionOptions"/>).</summary>
    public const int DefaultSamples = 50_100;

    /// <param name="samples">Subnets to evaluate (<see cref="DefaultSamples"/> by default).</param>
    public static SearchResult Run(SearchProblem problem, int samples = DefaultSamples, ulong seed = 0, int batch = 100, int maxAttempts = 10_000)
    {
        if (samples < 1) throw new OfaException($"Random search: samples {samples} must be >= 1.");
        var rng = new Xoshiro256(seed);
        var sampler = new ValidSampler(problem, maxAttempts);
        Candidate? best = null;
        var history = new List<float>();
        var configs = new SubnetConfig[batch];
        var measures = new double[batch][];
        var accs = new float[batch];
        for (int done = 0; done < samples; done += batch)
        {
            int n = Math.Min(batch, samples - done);
            for (int i = 0; i < n; i++) (configs[i], measures[i]) = sampler.Random(rng);
            problem.Accuracy.PredictMany(configs.AsSpan(0, n), accs);
            for (int i = 0; i < n; i++)
                if (best is null || accs[i] > best.Accuracy) best = new Candidate(configs[i], accs[i], measures[i]);
            history.Add(best!.Accuracy);
        }
        return new SearchResult(best!, problem.Constraints, history, samples, seed);
    }
}
