using System.Text.Json;
using OfaBuild.Core.Space;

namespace OfaBuild.Core.Measurement;

/// <summary>The accuracy dataset `ofa measure` collects: one (config, top-1) pair per subnet, with how it was measured.</summary>
public sealed record MeasuredSubnets(string Supernet, string Calibration, string Evaluation, IReadOnlyList<MeasuredSubnet> Subnets)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public string ToJson() => JsonSerializer.Serialize(this, Json) + "\n";

    public static MeasuredSubnets Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<MeasuredSubnets>(File.ReadAllText(path), Json)
                ?? throw new OfaFormatException($"{path}: empty accuracy dataset.");
        }
        catch (JsonException ex)
        {
            throw new OfaFormatException($"{path}: not an accuracy dataset written by `ofa measure` ({ex.Message}).", ex);
        }
    }
}

public sealed record MeasuredSubnet(SubnetConfig Config, double Top1);
