using System.Text.Json;

namespace OfaBuild.Cli.Tests;

/// <summary>The authors' files through the CLI: their predictor added to a w1.2 package, their specialised subnets inspected on note10, the tutorial's search.</summary>
public class ZooCommandTests
{
    /// <summary>The untrained w1.2 package with the authors' predictor added by `ofa import`, made once per test run for the tests that read it.</summary>
    private static string W12WithPredictor => SharedFiles.Get(Path.Combine("mbv3-w1.2-tutorial-predictor", "w12.ofa"), path =>
    {
        var add = Ofa.Succeeds("import", "--model", Ofa.Untrained("mbv3-w1.2"), "--predictor", Fixtures.Tutorial("acc_predictor.pth"), "-o", path);
        Assert.Contains("predictor mlp (ofa-tutorial-onehot-v1;", add.Stdout);
    });

    [Fact]
    public void Inspect_gives_the_reference_note10_latency_of_the_published_specialised_subnets()
    {
        using var dir = new TempDir();
        var model = W12WithPredictor;
        using var expected = JsonDocument.Parse(File.ReadAllText(Fixtures.Tutorial("expected.json")));
        foreach (var sub in expected.RootElement.GetProperty("specialized").EnumerateObject())
        {
            // net.config has no resolution: it comes from the run.config beside it.
            var r = Ofa.Succeeds("inspect", "--model", model, "--config", Fixtures.Tutorial($"specialized/{sub.Name}/net.config"), "--device", "note10", "--json");
            using var line = JsonDocument.Parse(r.Stdout.Trim());
            Assert.Equal(sub.Value.GetProperty("note10_ms").GetDouble(), line.RootElement.GetProperty("latency_ms").GetDouble(), 1e-3);
            Assert.Equal(224, line.RootElement.GetProperty("config").GetProperty("r").GetInt32());
            double acc = line.RootElement.GetProperty("predicted_accuracy").GetDouble();
            Assert.InRange(acc, 0.7, 0.9);
        }

        // An array of configs gives a line each; without a predictor or device those fields are null.
        File.WriteAllText(dir["two.json"], """[{"ks":[3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3],"e":[3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3],"d":[2,2,2,2,2],"r":160},{"ks":[7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7],"e":[6,6,6,6,6,6,6,6,6,6,6,6,6,6,6,6,6,6,6,6],"d":[4,4,4,4,4],"r":224}]""");
        var two = Ofa.Succeeds("inspect", "--model", Ofa.Untrained("mbv3-w1.2"), "--config", dir["two.json"], "--json");
        var lines = two.Stdout.Trim().Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(2, lines.Length);
        Assert.True(lines[0].GetProperty("macs").GetInt64() < lines[1].GetProperty("macs").GetInt64());
        Assert.Equal(JsonValueKind.Null, lines[0].GetProperty("predicted_accuracy").ValueKind);
        Assert.Equal(JsonValueKind.Null, lines[0].GetProperty("latency_ms").ValueKind);
    }

    [Fact]
    public void On_a_device_whose_table_covers_128_px_search_and_report_keep_to_the_resolutions_the_authors_predictor_was_trained_on()
    {
        // Before, cortex-a76 at 15 ms was searched at 128..224 and chose r 144, scored by the predictor's untrained buckets.
        using var dir = new TempDir();
        var model = W12WithPredictor;
        var search = Ofa.Succeeds("search", "--model", model, "--device", "cortex-a76", "--latency-ms", "15", "--seed", "0");
        Assert.Contains("searched resolutions 160..224 only: the accuracy predictor was not trained on 128..156, where its numbers are not predictions.", search.Stdout);
        var json = Ofa.Succeeds("search", "--model", model, "--device", "cortex-a76", "--latency-ms", "15", "--seed", "0", "--json");
        Assert.True(JsonDocument.Parse(json.Stdout.Trim()).RootElement.GetProperty("config").GetProperty("r").GetInt32() >= 160, json.Stdout);

        Ofa.Succeeds("report", "--model", model, "--device", "cortex-a76", "--target", "cortex-a76=15", "-o", dir["report"]);
        var md = File.ReadAllText(dir[Path.Combine("report", "report.md")]);
        Assert.Contains("Cloud, front and targets: searched resolutions 160..224 only", md);
        var resolutions = System.Text.RegularExpressions.Regex.Matches(md, "\"r\":(\\d+)").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.NotEmpty(resolutions);
        Assert.All(resolutions, r => Assert.InRange(r, 160, 224));

        // inspect says so for the package and for a subnet at an untrained resolution (it still prints the MLP's number).
        var inspect = Ofa.Succeeds("inspect", "--model", model, "--smallest");
        Assert.Contains("          its training saw resolutions 160..224 only, not 128, 132, 136, 140, 144, 148, 152, 156: search, build and report keep to those\n", inspect.Stdout.Replace("\r", ""));
        Assert.Matches(@"predicted accuracy \d+\.\d\d % \(r 128: not a resolution the predictor was trained on, so not a prediction; the search leaves it out\)", inspect.Stdout);
    }

    [Fact]
    public void Search_for_int8_on_note10_says_it_searched_the_fp32_table_as_the_build_does()
    {
        // Before, `ofa search --precision int8` on a device without an int8 table printed "latency table: note10 (measured)"
        // and the fp32 table's pick, where `ofa specialize` and the build say which table they searched.
        var search = Ofa.Succeeds("search", "--model", W12WithPredictor, "--device", "note10", "--latency-ms", "25", "--precision", "int8");
        Assert.Contains("searched on an fp32 latency table (catalog:note10 (measured)); the device has no int8 table. Measure one with `ofa profile ", search.Stdout);
    }

    [Fact]
    public void Search_json_on_note10_at_25_ms_is_within_budget_and_at_least_the_reference_tutorial()
    {
        var model = W12WithPredictor;
        var accuracy = new Dictionary<string, double>();
        foreach (var variant in new[] { "", "--quick", "--reference" })
        {
            var r = Ofa.Succeeds(["search", "--model", model, "--device", "note10", "--latency-ms", "25", "--seed", "0", "--json", .. variant.Length > 0 ? new[] { variant } : []]);
            var line = JsonDocument.Parse(r.Stdout.Trim()).RootElement;
            Assert.True(line.GetProperty("latency_ms").GetDouble() <= 25);
            Assert.True(line.GetProperty("seconds").GetDouble() > 0);
            Assert.Equal("measured", line.GetProperty("latency_table").GetString());
            // The notebook's own result: 81.71 % predicted at 24.73 ms.
            accuracy[variant] = line.GetProperty("predicted_accuracy").GetDouble();
            Assert.True(accuracy[variant] >= 0.8163, r.Stdout);
        }
        // Refinement only moves to better subnets: the default is never below the reference's evolution with the same seed.
        Assert.True(accuracy[""] >= accuracy["--reference"], $"{accuracy[""]} < {accuracy["--reference"]}");
        var both = Ofa.Refuses("search", "--model", model, "--device", "note10", "--latency-ms", "25", "--json", "--quick", "--reference");
        Assert.Contains("--quick and --reference", both.Stderr);
    }

    [Fact]
    public void Report_on_note10_plots_only_the_resolutions_its_tables_cover()
    {
        // The Note10 tables cover 160..224 of the space's 128..224: the cloud, like the search, stays on those.
        using var dir = new TempDir();
        var model = W12WithPredictor;
        Ofa.Succeeds("report", "--model", model, "--device", "note10", "--target", "note10=25", "--samples", "50", "--generations", "20", "-o", dir["out"]);
        Assert.True(File.Exists(dir["out/note10.png"]));
        Assert.Contains("## note10", File.ReadAllText(dir["out/report.md"]));
    }

    [Fact]
    public void Import_names_what_is_missing()
    {
        using var dir = new TempDir();
        var noSpace = Ofa.Refuses("import", Fixtures.Tutorial("acc_predictor.pth"), "-o", dir["x.ofa"]);
        Assert.Contains("--space", noSpace.Stderr);
        // The predictor file is not a supernet: the importer names a missing tensor.
        var notSupernet = Ofa.Refuses("import", Fixtures.Tutorial("acc_predictor.pth"), "--space", "mbv3-w1.2", "-o", dir["x.ofa"]);
        Assert.Contains("acc_predictor.pth", notSupernet.Stderr);
    }

    [Fact]
    public void Import_refuses_the_predictor_onto_a_space_it_was_not_trained_on()
    {
        // w1.0 encodes as w1.2 does (same input size), but the authors' predictor scores their w1.2 supernet.
        using var dir = new TempDir();
        Ofa.Init(dir["w10.ofa"], "mbv3-w1.0");
        var refused = Ofa.Refuses("import", "--model", dir["w10.ofa"], "--predictor", Fixtures.Tutorial("acc_predictor.pth"), "-o", dir["x.ofa"]);
        Assert.Contains("acc_predictor.pth: the accuracy predictor was trained on another search space (that of --space mbv3-w1.2) than the package's 'mbv3-w1.0': widths", refused.Stderr);
        Assert.Contains("ofa import ofa_mbv3_d234_e346_k357_w1.2 --space mbv3-w1.2", refused.Stderr);
        Assert.False(File.Exists(dir["x.ofa"]));
    }
}
