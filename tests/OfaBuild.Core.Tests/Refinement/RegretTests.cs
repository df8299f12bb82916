namespace OfaBuild.Core.Tests.Refinement;

public class RegretTests
{
    private static readonly SearchSpace Space = TestSpaces.ForExport();

    private static SubnetConfig Config(int d, int r) => SubnetConfig.Uniform(Space, 3, 3, d, r);

    [Fact]
    public void Regret_is_the_best_known_test_top1_minus_the_chosen_one_in_points()
    {
        Assert.Equal(0.5, Regret.Points(0.925, 0.920), 9);
        Assert.Equal(-0.25, Regret.Points(0.9175, 0.92), 9); // the choice did better on the test split
        var row = new RegretRow("x64-avx2", 0.4, Config(2, 12), 0.3, 0.91, 0.912, Config(3, 12), 0.35, 0.93, 0.918);
        Assert.Equal(0.6, row.RegretPoints, 9);
        var (max, mean) = Regret.Summary([row, row with { ChosenTest = 0.918 }]);
        Assert.Equal(0.6, max, 9);
        Assert.Equal(0.3, mean, 9);
    }

    [Fact]
    public void Best_known_is_the_most_accurate_held_out_subnet_within_the_budget()
    {
        var subnets = new[]
        {
            new MeasuredSubnet(Config(2, 12), 0.90),
            new MeasuredSubnet(Config(3, 12), 0.92),
            new MeasuredSubnet(Config(4, 12), 0.95), // too slow
            new MeasuredSubnet(Config(2, 16), 0.92), // as accurate as d3, but faster
            new MeasuredSubnet(Config(3, 16), 0.99), // a resolution the table does not time
        };
        double? Latency(SubnetConfig c) => c.R == 16 && c.D[0] == 3 ? null : c.D[0] * 1.0 + (c.R == 16 ? -0.5 : 0);

        var best = Regret.BestKnown(subnets, Latency, budgetMs: 3.0)!.Value;
        Assert.Equal(Config(2, 16), best.Subnet.Config);
        Assert.Equal(1.5, best.LatencyMs);
        Assert.Equal(Config(4, 12), Regret.BestKnown(subnets, Latency, 4.0)!.Value.Subnet.Config);
        Assert.Null(Regret.BestKnown(subnets, Latency, 1.0));
    }

    [Fact]
    public void Budgets_spread_over_the_range_end_at_its_top()
    {
        Assert.Equal([1.5, 2.0, 2.5, 3.0], DeviceBudgets.Spread(1.0, 3.0, 4));
        Assert.Equal([0.74], DeviceBudgets.Spread(0.254, 0.74, 1));
        Assert.Throws<OfaException>(() => DeviceBudgets.Spread(1, 2, 0));
    }
}
