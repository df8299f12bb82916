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

    /// <summary>
    /// The rows a run writes back: its own (<paramref name="run"/>: the random sample and this run's picks), then every row of
    /// the file it reused (<paramref name="reused"/>, `ofa measure --reuse`) it does not have, with the round that measured
    /// it. A reused file is the cache of everything measured on those images, and `ofa regret`'s best known subnets: a run
    /// with fewer rounds than the one before (`--refine-rounds 0`) keeps the earlier picks rather than dropping them.
    /// </summary>
    public static IReadOnlyList<MeasuredSubnet> Merge(IReadOnlyList<MeasuredSubnet> run, MeasuredSubnets? reused, SearchSpace space)
    {
        if (reused is null) return run;
        var have = new HashSet<SubnetConfig>(run.Select(s => s.Config.Canonical(space)));
        return [.. run, .. reused.Subnets.Where(s => have.Add(s.Config.Canonical(space)))];
    }

    /// <summary>
    /// Reads a file `ofa measure` (or `ofa regret`) wrote and checks it against the package's space: every field
    /// present, each config a subnet of <paramref name="space"/>, each top-1 a fraction, each round from 0. A file a
    /// predictor is trained on is refused whole, naming the row, rather than read with defaults.
    /// </summary>
    public static MeasuredSubnets Load(string path, SearchSpace space)
    {
        MeasuredSubnets file;
        try
        {
            file = JsonSerializer.Deserialize(File.ReadAllText(path), MeasuredSubnetsJson.Default.MeasuredSubnets)
                ?? throw new OfaFormatException($"{path}: empty accuracy dataset.");
        }
        catch (JsonException ex)
        {
            throw new OfaFormatException($"{path}: not an accuracy dataset written by `ofa measure` ({ex.Message}).", ex);
        }
        for (int i = 0; i < file.Subnets.Count; i++)
        {
            var (config, top1, round) = file.Subnets[i];
            string at = $"{path}: subnets[{i}]";
            try
            {
                config.Validate(space);
            }
            catch (OfaException ex)
            {
                throw new OfaFormatException($"{at}: {ex.Message} The file names supernet '{file.Supernet}'; measure this package with `ofa measure`.", ex);
            }
            if (!(top1 >= 0 && top1 <= 1)) throw new OfaFormatException($"{at}: top1 is {top1.ToString(System.Globalization.CultureInfo.InvariantCulture)}; expected a fraction from 0 to 1.");
            if (round < 0) throw new OfaFormatException($"{at}: round is {round}; expected 0 (the random sample) or a refinement round.");
        }
        return file;
    }
}

/// <summary>One measured subnet; <see cref="Round"/> 0 is the random sample, N the refinement round that picked it.</summary>
public sealed record MeasuredSubnet(SubnetConfig Config, double Top1, int Round = 0);

/// <summary>Compile-time JSON metadata for the accuracy dataset (compact, snake_case, nulls left out): no reflection in the Native AOT tool.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(MeasuredSubnets))]
internal sealed partial class MeasuredSubnetsJson : JsonSerializerContext;
