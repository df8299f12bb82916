using OfaBuild.Core.Space;

namespace OfaBuild.Cli.Commands;

/// <summary>The shared way to name a subnet: --config FILE, --largest or --smallest.</summary>
internal sealed class SubnetOptions
{
    public Option<FileInfo?> Config { get; } = new("--config") { Description = "Subnet config JSON: {\"ks\":[..],\"e\":[..],\"d\":[..],\"r\":N}." };
    public Option<bool> Largest { get; } = new("--largest") { Description = "The largest subnet of the space." };
    public Option<bool> Smallest { get; } = new("--smallest") { Description = "The smallest subnet of the space." };

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Config, Largest, Smallest }) command.Options.Add(o);
    }

    /// <summary>The chosen config validated against <paramref name="space"/>, or null when none was given and <paramref name="required"/> is false.</summary>
    public SubnetConfig? Resolve(ParseResult result, SearchSpace space, bool required)
    {
        var file = result.GetValue(Config);
        bool largest = result.GetValue(Largest), smallest = result.GetValue(Smallest);
        int given = (file is null ? 0 : 1) + (largest ? 1 : 0) + (smallest ? 1 : 0);
        if (given > 1) throw new OfaException("Give only one of --config, --largest and --smallest.");
        if (given == 0)
        {
            if (required) throw new OfaException("Name a subnet with --config FILE, --largest or --smallest.");
            return null;
        }
        var config = file is not null ? SubnetConfig.Load(file.FullName)
            : largest ? SubnetConfig.Largest(space) : SubnetConfig.Smallest(space);
        try
        {
            return config.Validate(space);
        }
        catch (OfaException ex) when (file is not null)
        {
            throw new OfaException($"{file.FullName}: {ex.Message}", ex);
        }
    }
}
