namespace OfaBuild.Cli.Tests;

public class SpecializeInt8CommandTests
{
    [Fact]
    public void Specialize_with_precision_int8_writes_an_int8_target_and_inspect_says_its_precision_and_table()
    {
        using var dir = new TempDir();
        Ofa.Init(dir["u.ofa"]);
        var r = Ofa.Succeeds("specialize", "--model", dir["u.ofa"], "--device", "cortex-a53", "--latency-ms", "100", "--precision", "int8", "-o", dir["out"]);
        Assert.Contains("int8 (latency table: int8)", r.Stdout); // the catalog device estimates int8 too

        var inspect = Ofa.Succeeds("inspect", "--target", Path.Combine(dir["out"], "cortex-a53.json"));
        Assert.Contains("precision int8", inspect.Stdout);
        Assert.Matches(@"estimated table for int8, \d+ intra-op thread\(s\)", inspect.Stdout);

        var bad = Ofa.Run("specialize", "--model", dir["u.ofa"], "--device", "cortex-a53", "--latency-ms", "100", "--precision", "int4", "-o", dir["out"]);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("int4", bad.ToString());
    }
}
