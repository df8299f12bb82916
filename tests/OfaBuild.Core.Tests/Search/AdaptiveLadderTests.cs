using OfaBuild.Core.Search;

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
}
