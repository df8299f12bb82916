using OfaBuild.Contracts;

namespace OfaBuild.Cli.Tests;

/// <summary>One rule for a printed count (CountText): singular for exactly one, plural for any other count, fractions included.</summary>
public sealed class CountTextTests
{
    [Theory]
    [InlineData(1L, "1 step")]
    [InlineData(0L, "0 steps")]
    [InlineData(469L, "469 steps")]
    public void A_whole_count_is_singular_only_for_one(long count, string expected) => Assert.Equal(expected, CountText.Of(count, "step"));

    [Theory]
    [InlineData(1.0, "1 epoch")]
    [InlineData(0.25, "0.25 epochs")]
    [InlineData(1.5, "1.5 epochs")]
    [InlineData(15.0, "15 epochs")]
    public void A_fraction_is_plural(double count, string expected) => Assert.Equal(expected, CountText.Of(count, "epoch"));

    [Fact]
    public void A_noun_whose_plural_is_not_an_added_s_gives_it()
    {
        Assert.Equal("1 class", CountText.Of(1, "class", "classes"));
        Assert.Equal("10 classes", CountText.Of(10, "class", "classes"));
        Assert.Equal("resolution", CountText.Noun(1, "resolution"));
        Assert.Equal("resolutions", CountText.Noun(3, "resolution"));
    }
}
