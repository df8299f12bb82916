namespace OfaBuild.Runtime.Tests;

/// <summary>"Did you mean" for an unknown device or target name (the catalog's and the runtime's messages use it).</summary>
public class NameSuggestionsTests
{
    private static readonly string[] Catalog = ["apple-m1", "cortex-a53", "cortex-a55", "cortex-a72", "cortex-a76", "host", "jetson-nano-2gb", "note10", "x64-avx2", "x64-avx512"];

    [Theory]
    [InlineData("cortex-a35", "cortex-a53,cortex-a55")] // a swap (to a53) and a substitution (to a55) are one edit each
    [InlineData("cortex-a67", "cortex-a76")]             // a swap alone
    [InlineData("Note10", "note10")]                    // case
    [InlineData("note-10", "note10")]                   // a hyphen
    [InlineData("cortexa76", "cortex-a76")]             // a missing hyphen
    [InlineData("CORTEX_A72", "cortex-a72")]            // case and an underscore
    [InlineData("hots", "host")]
    [InlineData("x64-avx521", "x64-avx512")]
    [InlineData("jetsn-nno-2gb", "jetson-nano-2gb")]    // two edits: a longer name allows more (11 letters, 2)
    public void The_nearest_known_names_are_suggested(string name, string expected)
    {
        Assert.Equal(expected.Split(','), NameSuggestions.Closest(name, Catalog));
    }

    [Theory]
    [InlineData("pdp-11")]
    [InlineData("jetson-nano")]
    [InlineData("a53")]        // 6 edits from cortex-a53; a 3-letter name allows 1
    [InlineData("cortex-a99")] // 2 edits from each cortex-a; a 9-letter name allows 1
    [InlineData("x64")]
    [InlineData("")]
    public void Nothing_close_suggests_nothing(string name)
    {
        Assert.Empty(NameSuggestions.Closest(name, Catalog));
        Assert.Equal("", NameSuggestions.DidYouMean(name, Catalog));
    }

    [Fact]
    public void At_most_three_names_are_suggested()
    {
        Assert.Equal(["cortex-a51", "cortex-a52", "cortex-a53"], NameSuggestions.Closest("cortex-a5", ["cortex-a53", "cortex-a76", "cortex-a55", "cortex-a52", "cortex-a51"]));
    }

    [Fact]
    public void The_sentence_quotes_each_name_and_leads_into_the_next()
    {
        Assert.Equal("Did you mean 'note10'? ", NameSuggestions.DidYouMean("Note10", Catalog));
        Assert.Equal("Did you mean 'cortex-a53' or 'cortex-a55'? ", NameSuggestions.DidYouMean("cortex-a35", Catalog));
        Assert.Equal("Did you mean 'a1', 'a2' or 'a3'? ", NameSuggestions.DidYouMean("a0", ["a3", "a1", "a2"]));
    }

    [Theory]
    [InlineData("abc", "abc", 0)]
    [InlineData("abc", "acb", 1)]
    [InlineData("abc", "ab", 1)]
    [InlineData("ab", "abc", 1)]
    [InlineData("abc", "abd", 1)]
    [InlineData("ca", "abc", 3)] // optimal string alignment: no edit of a swapped pair (true Damerau-Levenshtein says 2)
    [InlineData("", "abc", 3)]
    [InlineData("kitten", "sitting", 3)]
    public void The_distance_counts_insertions_deletions_substitutions_and_swaps(string a, string b, int distance)
    {
        Assert.Equal(distance, NameSuggestions.Distance(a, b));
        Assert.Equal(distance, NameSuggestions.Distance(b, a));
    }
}
