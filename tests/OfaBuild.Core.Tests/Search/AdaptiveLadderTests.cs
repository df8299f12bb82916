using System.Globalization;
using OfaBuild.Core.Tests.Tutorial;

namespace OfaBuild.Core.Tests.Search;

public sealed class AdaptiveLadderTests
{
    private static float[] F(double[] values) => [.. values.Select(v => (float)v)];

    [Fact]
    public void Lower_rungs_are_spaced_geometrically_from_rung_0_down_to_the_fastest_subnet()
    {
        Close.All([4f, 2f, 1f], F(AdaptiveLadder.Limits(8, 1, levels: 4)), 1e-6);
        Assert.Equal([1.0], AdaptiveLadder.Limits(8, 1, levels: 2));
        // The sample's x64-avx2 target: rung 0 predicted 0.49 ms, the fastest subnet 0.254 ms; the last limit is exact.
        var sample = AdaptiveLadder.Limits(0.49, 0.254, levels: 3);
        Close.All([(float)Math.Sqrt(0.49 * 0.254)], F(sample[..1]), 1e-7);
        Assert.Equal(0.254, sample[1]);
        // Rung 0 is already the fastest subnet: nothing below it.
        Assert.Empty(AdaptiveLadder.Limits(0.254, 0.254, levels: 3));
    }

    private static readonly Lazy<OfaPackage> Sample = new(() => OfaPackage.Read(Fixtures.RepoFile("samples", "models", "fashion-mnist.ofa")));

    /// <summary>
    /// A lower rung is found by the build's own search at its limit: never below what `ofa search` (the default options,
    /// the build's seed) finds there among the resolutions up to rung 0's. A single unrefined evolution per rung, as
    /// before, left up to a point of predicted top-1 on these problems.
    /// </summary>
    [Theory]
    [InlineData("note10", 25.0, 3)]
    [InlineData("note10", 30.0, 4)]
    [InlineData("x64-avx2", 0.5, 3)]
    [InlineData("cortex-a53", 4.0, 4)]
    public void Each_lower_rung_is_at_least_the_builds_search_at_its_limit(string device, double budgetMs, int levels)
    {
        var problem = device == "note10" ? TutorialSearchTests.Problem(budgetMs) : TargetProblem.Create(Sample.Value, device, budgetMs).Problem;
        var options = EvolutionOptions.Default(seed: 0);
        var top = EvolutionSearch.Run(problem, options).Best;
        var rungs = AdaptiveLadder.LowerRungs(problem, top.Config, levels, options);

        var space = problem.Space with { Resolutions = [.. problem.Space.Resolutions.Where(r => r <= top.Config.R)] };
        var latency = problem.Constraints[0];
        double fastest = SubnetConfig.SmallestPerResolution(space).Min(latency.Measure);
        var limits = AdaptiveLadder.Limits(top.Measures[0], fastest, levels);
        // These ladders have every rung asked for (none merged into the next), so rung i is the one for limit i.
        Assert.Equal(limits.Length, rungs.Count);
        for (int i = 0; i < limits.Length; i++)
        {
            var alone = EvolutionSearch.Run(problem with { Space = space, Constraints = [latency with { Limit = limits[i] }] }, options).Best;
            Assert.True(rungs[i].Measures[0] <= limits[i]);
            Assert.True(rungs[i].Accuracy >= alone.Accuracy,
                string.Create(CultureInfo.InvariantCulture, $"{device} at {budgetMs} ms: rung {i + 1} (limit {limits[i]:0.###} ms) {rungs[i].Accuracy:P2} < the search's {alone.Accuracy:P2}"));
        }
    }
}
