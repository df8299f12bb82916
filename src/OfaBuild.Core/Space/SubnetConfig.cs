using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OfaBuild.Core.Space;

/// <summary>
/// One subnet of a space: per-slot kernel <see cref="Ks"/> and expand ratio <see cref="E"/>,
/// per-stage depth <see cref="D"/>, input resolution <see cref="R"/>. Slots past a stage's
/// depth are carried but ignored (as in the reference). JSON: {"ks":[..],"e":[..],"d":[..],"r":N}.
/// </summary>
public sealed class SubnetConfig : IEquatable<SubnetConfig>
{
    [JsonPropertyName("ks")] public int[] Ks { get; }
    [JsonPropertyName("e")] public int[] E { get; }
    [JsonPropertyName("d")] public int[] D { get; }
    [JsonPropertyName("r")] public int R { get; }

    [JsonConstructor]
    public SubnetConfig(int[] ks, int[] e, int[] d, int r)
    {
        Ks = ks ?? throw new OfaException("Subnet config: 'ks' is missing.");
        E = e ?? throw new OfaException("Subnet config: 'e' is missing.");
        D = d ?? throw new OfaException("Subnet config: 'd' is missing.");
        R = r;
    }

    /// <summary>Whether slot <paramref name="slot"/> runs (it is within its stage's depth).</summary>
    public bool IsActive(SearchSpace space, int slot) => IsActive(space.MaxDepth, slot);

    /// <summary>Whether slot <paramref name="slot"/> runs, for stages of <paramref name="maxDepth"/> slots each.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsActive(int maxDepth, int slot) => slot < ActiveSlots(maxDepth, slot / maxDepth).End;

    /// <summary>
    /// The one rule of which blocks run: stage <paramref name="stage"/> (of <paramref name="maxDepth"/> slots each) runs its
    /// first D[stage] slots, [Start, End) in slot numbers (empty when End &lt;= Start). Inlined into the searches' hot loops.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (int Start, int End) ActiveSlots(int maxDepth, int stage)
    {
        int start = stage * maxDepth;
        return (start, start + Math.Min(D[stage], maxDepth));
    }

    /// <summary>Checks lengths and every value against the space; the message names the slot and the allowed values.</summary>
    public SubnetConfig Validate(SearchSpace space)
    {
        int slots = space.SlotCount;
        if (Ks.Length != slots) throw new OfaException($"Subnet config: 'ks' has {Ks.Length} values; space '{space.Name}' has {slots} block slots.");
        if (E.Length != slots) throw new OfaException($"Subnet config: 'e' has {E.Length} values; space '{space.Name}' has {slots} block slots.");
        if (D.Length != space.Stages.Count) throw new OfaException($"Subnet config: 'd' has {D.Length} values; space '{space.Name}' has {space.Stages.Count} stages.");
        for (int s = 0; s < D.Length; s++)
            if (!space.Depths.Contains(D[s]))
                throw new OfaException($"Subnet config: d[{s}] (stage {s + 1}) = {D[s]} is not allowed; space '{space.Name}' allows {List(space.Depths)}.");
        for (int i = 0; i < slots; i++)
        {
            if (!IsActive(space, i)) continue;
            if (!space.KernelSizes.Contains(Ks[i]))
                throw new OfaException($"Subnet config: ks[{i}] (stage {i / space.MaxDepth + 1}, block {i % space.MaxDepth + 1}) = {Ks[i]} is not allowed; space '{space.Name}' allows {List(space.KernelSizes)}.");
            if (!space.ExpandRatios.Contains(E[i]))
                throw new OfaException($"Subnet config: e[{i}] (stage {i / space.MaxDepth + 1}, block {i % space.MaxDepth + 1}) = {E[i]} is not allowed; space '{space.Name}' allows {List(space.ExpandRatios)}.");
        }
        if (!space.Resolutions.Contains(R))
            throw new OfaException($"Subnet config: r = {R} is not allowed; space '{space.Name}' allows {List(space.Resolutions)}.");
        return this;
    }

    private static string List(IReadOnlyList<int> xs) =>
        xs.Count > 8 ? $"{xs[0]}..{xs[^1]} ({xs.Count} values: {string.Join(", ", xs)})" : "{" + string.Join(", ", xs) + "}";

    /// <summary>A canonical copy: inactive slots set to the smallest choices, so equal subnets compare equal.</summary>
    public SubnetConfig Canonical(SearchSpace space)
    {
        var ks = (int[])Ks.Clone();
        var e = (int[])E.Clone();
        int maxDepth = space.MaxDepth, k0 = space.KernelSizes[0], e0 = space.ExpandRatios[0];
        for (int i = 0; i < ks.Length; i++)
        {
            if (IsActive(maxDepth, i)) continue;
            ks[i] = k0;
            e[i] = e0;
        }
        return new SubnetConfig(ks, e, (int[])D.Clone(), R);
    }

    /// <summary>This subnet with slot <paramref name="slot"/>'s kernel and expand ratio set to <paramref name="k"/> and <paramref name="e"/>.</summary>
    public SubnetConfig WithSlot(int slot, int k, int e)
    {
        var ks = (int[])Ks.Clone();
        var es = (int[])E.Clone();
        (ks[slot], es[slot]) = (k, e);
        return new SubnetConfig(ks, es, D, R);
    }

    public static SubnetConfig Largest(SearchSpace space) => Largest(space, space.Resolutions[^1]);
    public static SubnetConfig Smallest(SearchSpace space) => Smallest(space, space.Resolutions[0]);
    public static SubnetConfig Largest(SearchSpace space, int r) => Uniform(space, space.MaxKernel, space.MaxExpand, space.MaxDepth, r);
    public static SubnetConfig Smallest(SearchSpace space, int r) => Uniform(space, space.KernelSizes[0], space.ExpandRatios[0], space.Depths[0], r);

    /// <summary>The smallest subnet at each resolution of the space: where the lowest cost of any measure lies.</summary>
    public static IEnumerable<SubnetConfig> SmallestPerResolution(SearchSpace space) => space.Resolutions.Select(r => Smallest(space, r));

    public static SubnetConfig Uniform(SearchSpace space, int k, int e, int d, int r) => new(
        Enumerable.Repeat(k, space.SlotCount).ToArray(),
        Enumerable.Repeat(e, space.SlotCount).ToArray(),
        Enumerable.Repeat(d, space.Stages.Count).ToArray(), r);

    /// <summary>A uniform sample of the space; see <see cref="Sample(SearchSpace, Func{int, int}, IReadOnlyList{int}?, IReadOnlyList{int}?, IReadOnlyList{int}?, int?)"/>.</summary>
    public static SubnetConfig Sample(SearchSpace space, Random rng) => Sample(space, rng.Next);

    /// <summary>
    /// The uniform sampler, in the reference's order (ArchManager.random_sample, ofa/nas/search_algorithm/evolution.py):
    /// each stage's depth, then each slot's expand ratio and kernel, then the resolution, each drawn independently with
    /// <paramref name="next"/>(n), uniform in [0, n). The lists narrow the space's choices (a progressive-shrinking
    /// phase samples a part of it); <paramref name="r"/> fixes the resolution instead of drawing it.
    /// </summary>
    public static SubnetConfig Sample(SearchSpace space, Func<int, int> next, IReadOnlyList<int>? kernelSizes = null,
        IReadOnlyList<int>? expandRatios = null, IReadOnlyList<int>? depths = null, int? r = null)
    {
        kernelSizes ??= space.KernelSizes;
        expandRatios ??= space.ExpandRatios;
        depths ??= space.Depths;
        var d = new int[space.Stages.Count];
        for (int s = 0; s < d.Length; s++) d[s] = depths[next(depths.Count)];
        var ks = new int[space.SlotCount];
        var e = new int[space.SlotCount];
        for (int i = 0; i < ks.Length; i++)
        {
            e[i] = expandRatios[next(expandRatios.Count)];
            ks[i] = kernelSizes[next(kernelSizes.Count)];
        }
        return new SubnetConfig(ks, e, d, r ?? space.Resolutions[next(space.Resolutions.Count)]);
    }

    public string ToJson() => JsonSerializer.Serialize(this, SubnetConfigJson.Default.SubnetConfig);

    /// <summary>Parses a config; extra fields (name, macs, logits, ...) are ignored.</summary>
    public static SubnetConfig FromJson(string json, string source = "subnet config")
    {
        try
        {
            return JsonSerializer.Deserialize(json, SubnetConfigJson.Default.SubnetConfig)
                ?? throw new OfaException($"{source}: expected a JSON object with ks, e, d and r.");
        }
        catch (JsonException ex)
        {
            throw new OfaException($"{source}: not a valid subnet config ({ex.Message}). {Expected}", ex);
        }
        catch (OfaException ex) when (ex.InnerException is null) // the constructor's missing field, which names no file
        {
            throw new OfaException($"{source}: {ex.Message} {Expected}", ex);
        }
    }

    private const string Expected = "Expected {\"ks\":[..],\"e\":[..],\"d\":[..],\"r\":N}, a target manifest of `ofa specialize`, or the reference's net.config.";

    public bool Equals(SubnetConfig? other) =>
        other is not null && R == other.R && Ks.AsSpan().SequenceEqual(other.Ks) && E.AsSpan().SequenceEqual(other.E) && D.AsSpan().SequenceEqual(other.D);

    public override bool Equals(object? obj) => Equals(obj as SubnetConfig);

    /// <summary>
    /// FNV-1a over the values: searches hash tens of thousands of configs, and <see cref="HashCode"/>'s per-value mixing
    /// cost more than the table lookups themselves. Tables enumerate in insertion order, so no result depends on it.
    /// </summary>
    public override int GetHashCode()
    {
        const ulong prime = 1099511628211UL;
        ulong h = (14695981039346656037UL ^ (uint)R) * prime;
        foreach (int x in Ks) h = (h ^ (uint)x) * prime;
        foreach (int x in E) h = (h ^ (uint)x) * prime;
        foreach (int x in D) h = (h ^ (uint)x) * prime;
        return (int)(h ^ (h >> 32));
    }

    public override string ToString() => ToJson();
}

/// <summary>Compile-time JSON metadata for <see cref="SubnetConfig"/> (default options: compact, names as declared).</summary>
[JsonSerializable(typeof(SubnetConfig))]
internal sealed partial class SubnetConfigJson : JsonSerializerContext;
