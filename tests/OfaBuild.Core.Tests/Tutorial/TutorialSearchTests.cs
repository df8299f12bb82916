using System.Globalization;

namespace OfaBuild.Core.Tests.Tutorial;

/// <summary>
/// The search's quality on the tutorial's problem (the authors' predictor, the Note10 tables), pinned at three budgets:
/// the mean over seeds 0-4 of the default search is at least the reference's, and no seed is far from another. At 25 ms the bar is what the unmodified
/// reference found (expected.json); the repository holds no reference run at other budgets, so there the bar is our run
/// of the reference's algorithm (population 100, 500 generations, README "Using the zoo").
/// </summary>
public class TutorialSearchTests
{
    private static readonly Lazy<AccuracyPredictor> Predictor = new(() =>
    {
        var (tensors, info) = TutorialPredictorImporter.Import(Fixtures.Tutorial("acc_predictor.pth"), TutorialFixture.W12);
        return AccuracyPredictor.FromTensors(tensors, encoder: ArchEncodings.For(info, TutorialFixture.W12));
    });

    internal static SearchProblem Problem(double budgetMs)
    {
        var latency = DeviceCatalog.Builtin().LatencyTable("note10", TutorialFixture.W12).Compile(TutorialFixture.W12);
        var space = TutorialFixture.W12 with { Resolutions = latency.CoveredResolutions };
        return new SearchProblem(space, Predictor.Value, [Constraint.Latency(latency, budgetMs)]);
    }

    [Theory]
    [InlineData(15, 0.7844)]
    [InlineData(25, double.NaN)]
    [InlineData(30, 0.8248)]
    public void Default_search_is_at_least_the_reference_within_budget_whatever_the_seed(double budgetMs, double bar)
    {
        if (double.IsNaN(bar)) bar = TutorialFixture.ReferenceSearch25().Average(r => r.Accuracy);
        var problem = Problem(budgetMs);
        var found = Enumerable.Range(0, 5).Select(seed => EvolutionSearch.Run(problem, EvolutionOptions.Default((ulong)seed))).ToArray();
        Assert.All(found, r => Assert.True(r.LatencyMs <= budgetMs, $"{r.LatencyMs} ms > {budgetMs} ms"));
        double mean = found.Average(r => r.Best.Accuracy);
        Assert.True(mean >= bar, $"mean {mean:0.#####} < {bar:0.#####} at {budgetMs} ms");
        // One evolution settles in a basin its seed picks: at 30 ms seed 2 stopped at 81.91 % where seed 4 found 82.99 %.
        var accs = found.Select(r => r.Best.Accuracy).ToArray();
        Assert.True(accs.Max() - accs.Min() <= 0.0015, $"seeds 0-4 found {string.Join(" / ", accs.Select(a => a.ToString("P2", CultureInfo.InvariantCulture)))} at {budgetMs} ms");
    }

    [Fact]
    public void Refinement_pays_for_a_deeper_stage_at_a_full_budget()
    {
        // The reference's evolution with seed 2 ends at r208 d22333 (81.91 %, 29.47 ms of 30): every depth or resolution
        // move breaks the budget, so the hill climbing used to stop there. Paid for by re-allocating the blocks, it goes on.
        var problem = Problem(30);
        var start = EvolutionSearch.Run(problem, new EvolutionOptions { Seed = 2 }).Best;
        var (refined, _) = EvolutionSearch.Refine(problem, start);
        Assert.True(refined.Measures[0] <= 30);
        Assert.NotEqual(start.Config.D, refined.Config.D);
        Assert.True(refined.Accuracy >= start.Accuracy + 0.005, $"{start.Accuracy:P2} -> {refined.Accuracy:P2}");
    }
}
