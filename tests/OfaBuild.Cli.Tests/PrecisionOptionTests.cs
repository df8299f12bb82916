using System.Text.Json;

namespace OfaBuild.Cli.Tests;

/// <summary>--precision is read in any case, as a target's Precision is in the build, and refused otherwise in one wording (CommonOptions.Precision).</summary>
public sealed class PrecisionOptionTests
{
    [Fact]
    public void Search_reads_INT8_as_int8()
    {
        // Before: "Argument 'INT8' not recognized", while an <OfaTarget Precision="INT8"> item built int8.
        string[] search = ["search", "--model", Ofa.Untrained(), "--device", "cortex-a53", "--latency-ms", "30", "--quick", "--json", "--precision"];
        JsonElement Found(string precision)
        {
            using var doc = JsonDocument.Parse(Ofa.Succeeds([.. search, precision]).Stdout);
            return doc.RootElement.Clone();
        }
        var (upper, lower, fp32) = (Found("INT8"), Found("int8"), Found("fp32"));
        Assert.Equal(lower.GetProperty("latency_ms").GetDouble(), upper.GetProperty("latency_ms").GetDouble());
        Assert.Equal(lower.GetProperty("config").GetRawText(), upper.GetProperty("config").GetRawText());
        Assert.NotEqual(fp32.GetProperty("latency_ms").GetDouble(), upper.GetProperty("latency_ms").GetDouble()); // the int8 table, not fp32's
    }

    [Theory]
    [InlineData("search")]
    [InlineData("profile")]
    public void A_precision_that_is_none_is_refused_naming_the_two(string command)
    {
        using var dir = new TempDir();
        string[] rest = command == "search" ? ["--device", "cortex-a53", "--latency-ms", "30"] : ["-o", dir["table.json"]];
        var r = Ofa.Refuses([command, "--model", Ofa.Untrained(), .. rest, "--precision", "fp16"]);
        Assert.Contains("--precision fp16: give fp32 or int8.", r.Stderr);
        Assert.False(File.Exists(dir["table.json"]));
    }
}
