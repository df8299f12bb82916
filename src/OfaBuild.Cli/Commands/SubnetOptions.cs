using OfaBuild.Core.Space;

namespace OfaBuild.Cli.Commands;

/// <summary>
/// The shared way to name subnets: --config FILE (an OfaBuild config, an array of them, a target manifest, or the reference's net.config;
/// one reader, <see cref="SubnetConfigFile"/>), --largest or --smallest, optionally at --resolution R.
/// </summary>
internal sealed class SubnetOptions
{
    public Option<FileInfo?> Config { get; } = new("--config") { Description = "Subnet config JSON: {\"ks\":[..],\"e\":[..],\"d\":[..],\"r\":N}, a target manifest of `ofa specialize` (its subnet), or the reference's net.config." };
    public Option<bool> Largest { get; } = new("--largest") { Description = "The largest subnet of the space." };
    public Option<bool> Smallest { get; } = new("--smallest") { Description = "The smallest subnet of the space." };
    public Option<int?> Resolution { get; } = new("--resolution") { Description = "Input resolution of the subnet, instead of its config's (a reference net.config has none; default: the run.config beside it)." };

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Config, Largest, Smallest, Resolution }) command.Options.Add(o);
    }

    /// <summary>The one chosen subnet validated against <paramref name="space"/>, or null when none was given and <paramref name="required"/> is false.</summary>
    public SubnetConfig? Resolve(ParseResult result, SearchSpace space, bool required) =>
        Choose(result, space, required, many: false) is [var one] ? one : null;

    /// <summary>Every subnet named (a --config file may hold several); none when none was given.</summary>
    public IReadOnlyList<SubnetConfig> ResolveAll(ParseResult result, SearchSpace space) => Choose(result, space, required: false, many: true);

    private IReadOnlyList<SubnetConfig> Choose(ParseResult result, SearchSpace space, bool required, bool many)
    {
        var file = result.GetValue(Config);
        bool largest = result.GetValue(Largest), smallest = result.GetValue(Smallest);
        int? resolution = result.GetValue(Resolution);
        int given = (file is null ? 0 : 1) + (largest ? 1 : 0) + (smallest ? 1 : 0);
        if (given > 1) throw new OfaException("Give only one of --config, --largest and --smallest.");
        if (given == 0)
        {
            if (required) throw new OfaException("Name a subnet with --config FILE, --largest or --smallest.");
            if (resolution is not null) throw new OfaException("--resolution sets the resolution of a subnet; name one with --config FILE, --largest or --smallest.");
            return [];
        }
        if (file is not null)
            return many ? SubnetConfigFile.Load(file.FullName, space, resolution) : [SubnetConfigFile.LoadOne(file.FullName, space, resolution)];
        var config = largest ? SubnetConfig.Largest(space) : SubnetConfig.Smallest(space);
        return [(resolution is { } r ? new SubnetConfig(config.Ks, config.E, config.D, r) : config).Validate(space)];
    }
}
