using System.Text.Json;

namespace OfaBuild.Core.Space;

/// <summary>
/// Reads the subnets a file names: one OfaBuild config (<c>{"ks","e","d","r"}</c>), a JSON array of them, a target
/// manifest of `ofa specialize` (its <c>config</c>: the subnet it chose), or the
/// reference's standalone <c>MobileNetV3</c> JSON of a specialised subnet (the zoo's <c>net.config</c>: first_conv,
/// blocks with <c>mobile_inverted_conv</c>, or <c>conv</c> as the reference's get_active_net_config() now writes it, kernel_size and expand_ratio, ...). <c>net.config</c> has no resolution:
/// it comes from <paramref name="resolution"/> or else from <c>run.config</c>'s <c>image_size</c> beside the file.
/// Every config is validated against the space, and errors name the file.
/// </summary>
public static class SubnetConfigFile
{
    /// <summary>The one subnet a file names; a file with an array of several is refused, naming how many it holds.</summary>
    public static SubnetConfig LoadOne(string path, SearchSpace space, int? resolution = null)
    {
        var configs = Load(path, space, resolution);
        return configs.Count == 1 ? configs[0]
            : throw new OfaException($"{path}: holds {configs.Count} subnet configs; name one subnet (a file with one config, or a net.config).");
    }

    public static IReadOnlyList<SubnetConfig> Load(string path, SearchSpace space, int? resolution = null)
    {
        if (!File.Exists(path)) throw new OfaException($"Subnet config file '{path}' does not exist.");
        string text = File.ReadAllText(path);
        JsonElement root;
        try { root = JsonDocument.Parse(text).RootElement; }
        catch (JsonException e) { throw new OfaException($"{path}: not valid JSON ({e.Message}).", e); }

        SubnetConfig[] configs;
        if (root.ValueKind == JsonValueKind.Array)
            configs = root.EnumerateArray().Select((c, i) => WithResolution(SubnetConfig.FromJson(c.GetRawText(), $"{path} [{i}]"), resolution)).ToArray();
        else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("blocks", out _))
            configs = [FromNetConfig(root, space, path, resolution ?? RunConfigResolution(path))];
        else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.String
                 && format.GetString() == Contracts.TargetManifest.FormatId)
            configs = [WithResolution(FromTargetManifest(text, path), resolution)];
        else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("image_size", out _) && !root.TryGetProperty("ks", out _))
            throw new OfaException($"{path}: a reference run.config (training settings, image_size), not a subnet; pass the net.config beside it.");
        else
            configs = [WithResolution(SubnetConfig.FromJson(text, path), resolution)];

        return configs.Select((c, i) =>
        {
            try { return c.Validate(space); }
            catch (OfaException e) { throw new OfaException($"{path}{(configs.Length > 1 ? $" [{i}]" : "")}: {e.Message}", e); }
        }).ToArray();
    }

    /// <summary>The subnet `ofa specialize` chose (rung 0 of an adaptive target), read by the manifest's one reader.</summary>
    private static SubnetConfig FromTargetManifest(string text, string path)
    {
        Contracts.TargetManifest manifest;
        try { manifest = Contracts.TargetManifest.FromJson(text, path); }
        catch (Contracts.ManifestFormatException e) { throw new OfaException(e.Message, e); }
        return Specialization.TargetManifestConversions.ToSubnetConfig(manifest.Config);
    }

    private static SubnetConfig WithResolution(SubnetConfig c, int? r) => r is { } res ? new SubnetConfig(c.Ks, c.E, c.D, res) : c;

    /// <summary>The reference's MobileNetV3 JSON: blocks[0] is the fixed first block, then each stage's blocks by output width.</summary>
    public static SubnetConfig FromNetConfig(JsonElement net, SearchSpace space, string source, int resolution)
    {
        var blocks = net.GetProperty("blocks").EnumerateArray().Skip(1).Select(b =>
        {
            // The zoo's net.config files name a block's layer 'mobile_inverted_conv'; the reference's own get_active_net_config()
            // has named it 'conv' since, and its build_from_config reads either.
            if (!(b.TryGetProperty("mobile_inverted_conv", out var conv) || b.TryGetProperty("conv", out conv)) || conv.ValueKind != JsonValueKind.Object)
                throw new OfaException($"{source}: a block has neither 'conv' nor 'mobile_inverted_conv'; expected the reference's MobileNetV3 net.config.");
            return (Out: Int(conv, "out_channels", source), K: Int(conv, "kernel_size", source), E: Int(conv, "expand_ratio", source));
        }).ToList();
        int slots = space.SlotCount, maxDepth = space.MaxDepth;
        var ks = Enumerable.Repeat(space.KernelSizes[0], slots).ToArray();
        var e = Enumerable.Repeat(space.ExpandRatios[0], slots).ToArray(); // fillers for inactive slots
        var d = new int[space.Stages.Count];
        int next = 0;
        for (int s = 0; s < space.Stages.Count; s++)
        {
            while (next < blocks.Count && blocks[next].Out == space.Stages[s].Width)
            {
                if (d[s] == maxDepth)
                    throw new OfaException($"{source}: stage {s + 1} has more than {maxDepth} blocks of width {space.Stages[s].Width}; not a subnet of space '{space.Name}'.");
                int slot = s * maxDepth + d[s]++;
                (ks[slot], e[slot]) = (blocks[next].K, blocks[next].E);
                next++;
            }
        }
        if (next != blocks.Count)
            throw new OfaException($"{source}: block {next + 1} has {blocks[next].Out} output channels, which does not follow the stage widths of space '{space.Name}' ({string.Join(", ", space.Stages.Select(st => st.Width))}); use the space the subnet was specialised from.");
        return new SubnetConfig(ks, e, d, resolution);
    }

    private static int RunConfigResolution(string netConfig)
    {
        var run = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(netConfig))!, "run.config");
        if (!File.Exists(run))
            throw new OfaException($"{netConfig}: a reference net.config has no input resolution; give --resolution R or put its run.config (image_size) beside it.");
        try
        {
            var size = JsonDocument.Parse(File.ReadAllText(run)).RootElement.GetProperty("image_size");
            // image_size is a number, or a list for progressive-resolution training (the last is the final one).
            return size.ValueKind == JsonValueKind.Array ? size.EnumerateArray().Last().GetInt32() : size.GetInt32();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new OfaException($"{run}: has no integer 'image_size'; give --resolution R.", e);
        }
    }

    private static int Int(JsonElement o, string name, string source) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i) ? i
            : throw new OfaException($"{source}: a block's '{name}' is missing or not an integer.");
}
