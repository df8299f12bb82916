namespace OfaBuild.Cli.Tests;

/// <summary>`ofa search` says which search it runs, in its help and after a search, as EvolutionOptions.Describe words it.</summary>
public sealed class SearchWordingTests
{
    [Fact]
    public void Search_names_the_starts_of_the_default_and_what_quick_and_reference_run()
    {
        // Before, the line said "evolution: N evaluations in S s (seed 0)" for all three, though the default runs
        // 8 evolutions and refines the best 3, and --quick's help gave "about 40 % of the default's predictions".
        string[] search = ["search", "--model", Ofa.Untrained(), "--device", "cortex-a53", "--latency-ms", "3", "--seed", "4"];
        Assert.Contains("8 evolutions (seed 4: population 100, 500 generations; 7 derived seeds: stopped once 50 generations bring nothing), the best 3 refined: ",
            Ofa.Succeeds(search).Stdout);
        Assert.Contains("evolution (seed 4, population 100, 500 generations, stopped once 50 generations bring nothing), then refinement: ",
            Ofa.Succeeds([.. search, "--quick"]).Stdout);
        Assert.Contains("evolution (seed 4, population 100, 500 generations), no refinement: ", Ofa.Succeeds([.. search, "--reference"]).Stdout);

        var help = Ofa.Help("search");
        Assert.Contains("within a latency budget on a device: 8 evolutions (the seed: population 100, 500 generations; 7 derived seeds: ", help);
        Assert.DoesNotContain("40 %", help);
    }
}
