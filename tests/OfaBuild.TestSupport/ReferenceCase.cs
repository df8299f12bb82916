using System.Text.Json;
using OfaBuild.Core.Space;

namespace OfaBuild.TestSupport;

/// <summary>The 8 subnets of the reference fixture's expected.json.</summary>
public sealed record ReferenceCase(string Name, SubnetConfig Config, long Macs, long Params, float[][] Logits)
{
    public override string ToString() => Name;

    public static IReadOnlyList<ReferenceCase> All { get; } = Load();

    public static IEnumerable<object[]> Names => All.Select(c => new object[] { c.Name });

    public static ReferenceCase Get(string name) => All.Single(c => c.Name == name);

    private static ReferenceCase[] Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Reference("expected.json")));
        return doc.RootElement.GetProperty("configs").EnumerateArray().Select(c => new ReferenceCase(
            c.GetProperty("name").GetString()!,
            SubnetConfig.FromJson(c.GetRawText()),
            c.GetProperty("macs").GetInt64(),
            c.GetProperty("params").GetInt64(),
            c.GetProperty("logits").EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray()))
            .ToArray();
    }

    /// <summary>expected.json's input_formula: x[n,c,h,w] = sin(0.37h + 0.23w + 1.1c + 0.7n) + 0.5cos(0.013hw + 0.5c - 0.9n), in float64 then float32.</summary>
    public static float[] ClosedFormInput(int batch, int channels, int r)
    {
        var x = new float[batch * channels * r * r];
        int i = 0;
        for (int n = 0; n < batch; n++)
            for (int c = 0; c < channels; c++)
                for (int h = 0; h < r; h++)
                    for (int w = 0; w < r; w++)
                        x[i++] = (float)(Math.Sin(0.37 * h + 0.23 * w + 1.1 * c + 0.7 * n) + 0.5 * Math.Cos(0.013 * h * w + 0.5 * c - 0.9 * n));
        return x;
    }
}
