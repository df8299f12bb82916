using System.Text.Json;

namespace OfaBuild.Core.Tests.Tutorial;

/// <summary>expected.json of tests/fixtures/ofa-tutorial: what the unmodified reference computes from the authors' files.</summary>
internal static class TutorialFixture
{
    public static SearchSpace W12 { get; } = Presets.Get(Presets.MobileNetV3W12);

    private static readonly Lazy<JsonElement> Root = new(() => JsonDocument.Parse(File.ReadAllText(Fixtures.Tutorial("expected.json"))).RootElement);

    public static SubnetConfig Config(JsonElement c) => new(Ints(c, "ks"), Ints(c, "e"), Ints(c, "d"), c.GetProperty("r").GetInt32());

    private static int[] Ints(JsonElement c, string name) => c.GetProperty(name).EnumerateArray().Select(v => v.GetInt32()).ToArray();

    /// <summary>The 50 random configs with the reference's predicted accuracy and Note10 latency.</summary>
    public static IReadOnlyList<(SubnetConfig Config, double Accuracy, double Note10Ms)> Points() =>
        Root.Value.GetProperty("points").EnumerateArray()
            .Select(p => (Config(p.GetProperty("config")), p.GetProperty("predicted_acc").GetDouble(), p.GetProperty("note10_ms").GetDouble())).ToArray();

    public static (SubnetConfig Config, double Accuracy, double Note10Ms) Notebook()
    {
        var n = Root.Value.GetProperty("tutorial_notebook");
        return (Config(n.GetProperty("config")), n.GetProperty("predicted_acc").GetDouble(), n.GetProperty("note10_ms").GetDouble());
    }

    /// <summary>The reference EvolutionFinder at 25 ms, seeds 0-2: (accuracy, latency, seconds).</summary>
    public static IReadOnlyList<(double Accuracy, double LatencyMs, double Seconds)> ReferenceSearch25() =>
        Root.Value.GetProperty("reference_search_25ms").EnumerateArray()
            .Select(p => (p.GetProperty("predicted_acc").GetDouble(), p.GetProperty("latency_ms").GetDouble(), p.GetProperty("seconds").GetDouble())).ToArray();

    /// <summary>The reference's Note10 latency of the published specialised subnets, by folder name.</summary>
    public static IReadOnlyDictionary<string, double> Specialized() =>
        Root.Value.GetProperty("specialized").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetProperty("note10_ms").GetDouble());
}
