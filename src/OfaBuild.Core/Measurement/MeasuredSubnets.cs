using System.Text.Json;
using System.Text.Json.Serialization;

namespace OfaBuild.Core.Measurement;

/// <summary>
/// The accuracy dataset `ofa measure` collects: one (config, top-1) pair per subnet, with how it was measured. Each
/// subnet says which step measured it: round 0 is the random sample (with its anchors), round N the subnets the
/// search picked in refinement round N.
/// </summary>
public sealed record MeasuredSubnets(string Supernet, string Calibration, EvaluationImages Evaluation, IReadOnlyList<MeasuredSubnet> Subnets)
{
    public string ToJson() => JsonSerializer.Serialize(this, MeasuredSubnetsJson.Default.MeasuredSubnets) + "\n";

    /// <summary>Top-1 by canonical config, for looking a subnet up before measuring it again.</summary>
    public Dictionary<SubnetConfig, double> ByConfig(SearchSpace space)
    {
        var map = new Dictionary<SubnetConfig, double>();
        foreach (var s in Subnets) map[s.Config.Canonical(space)] = s.Top1;
        return map;
    }

    public static MeasuredSubnets Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), MeasuredSubnetsJson.Default.MeasuredSubnets)
                ?? throw new OfaFormatException($"{path}: empty accuracy dataset.");
        }
        catch (JsonException ex)
        {
            throw new OfaFormatException($"{path}: not an accuracy dataset written by `ofa measure` ({ex.Message}).", ex);
        }
    }
}

/// <summary>One measured subnet; <see cref="Round"/> 0 is the random sample, N the refinement round that picked it.</summary>
public sealed record MeasuredSubnet(SubnetConfig Config, double Top1, int Round = 0);

/// <summary>Compile-time JSON metadata for the accuracy dataset (compact, snake_case, nulls left out): no reflection in the Native AOT tool.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MeasuredSubnets))]
internal sealed partial class MeasuredSubnetsJson : JsonSerializerContext;
