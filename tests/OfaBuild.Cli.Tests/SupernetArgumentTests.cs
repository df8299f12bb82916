namespace OfaBuild.Cli.Tests;

public class SupernetArgumentTests
{
    [Fact]
    public void A_supernet_given_without_model_is_refused_with_the_command_line_that_works()
    {
        // Before: "Unrecognized command or argument '...ofa'." above the whole help (and, for search, "Option '--model' is required.").
        var model = Fixtures.RepoFile("samples", "models", "fashion-mnist.ofa");
        var r = Ofa.Refuses("search", model, "--device", "x64-avx2", "--latency-ms", "0.4");
        Assert.Contains($"error: '{model}' is a supernet given without its option; `ofa search` takes it as --model: " +
                        $"ofa search --model {model} --device x64-avx2 --latency-ms 0.4", r.Stderr);
        Assert.DoesNotContain("Unrecognized", r.Stderr + r.Stdout);
        Assert.DoesNotContain("Description:", r.Stderr + r.Stdout);
        // With --model given, another bare file is System.CommandLine's own error.
        Assert.Contains("Unrecognized command or argument 'x.ofa'", Ofa.Refuses("inspect", "--model", model, "x.ofa").Stderr);
    }
}
