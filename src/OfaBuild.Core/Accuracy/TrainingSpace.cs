namespace OfaBuild.Core.Accuracy;

/// <summary>
/// The search space an accuracy predictor was trained on, as the facts that fix what its input row means and whose
/// accuracy its output is: the block slots (stages, blocks per stage at most), the choices of each feature in order
/// (depths, kernel sizes, expand ratios, resolutions), the network's widths, strides, squeeze-excite use and
/// activations, input channels and classes. The encoding alone does not fix them: the w1.0 and w1.2 spaces encode
/// alike, and the tutorial's encoding buckets resolutions. The manifest records it as <c>predictor.trained_on</c> (<see cref="Describe"/>);
/// `ofa import --predictor` and reading a package check it against the package's space (<see cref="Mismatches"/>).
/// Strides, squeeze-excite and activations were recorded later: a description without them reads, and they are then
/// not checked (<see cref="NotRecorded"/>).
/// </summary>
public sealed class TrainingSpace
{
    public const string Scheme = "ofa-space-v1";

    /// <summary>A predictor trained on a space predicts a space with fewer choices of a feature, never more or others.</summary>
    private enum Rule { Same, Among }

    /// <param name="Later">Recorded after the first descriptions were written: one may lack it (not recorded, not checked).</param>
    private sealed record Field(string Name, string What, Rule Rule, Func<SearchSpace, int[]> Of, bool Later = false);

    // Written in this order; widths are the stem, the first block, each stage, the final expand and the feature mix;
    // strides the stem's and each stage's; se each stage's (1: squeeze-excite); hswish the first block's and each stage's
    // activation (1: h-swish, 0: ReLU). Later fields sit before "in" so a line still ends in its input channels and classes.
    private static readonly Field[] Fields =
    [
        new("stages", "stages", Rule.Same, s => [s.Stages.Count]),
        new("max_depth", "blocks per stage at most", Rule.Same, s => [s.MaxDepth]),
        new("d", "depths", Rule.Among, s => [.. s.Depths]),
        new("ks", "kernel sizes", Rule.Among, s => [.. s.KernelSizes]),
        new("e", "expand ratios", Rule.Among, s => [.. s.ExpandRatios]),
        new("r", "resolutions", Rule.Among, s => [.. s.Resolutions]),
        new("widths", "widths", Rule.Same, s => [s.FirstConvWidth, s.FirstBlockWidth, .. s.Stages.Select(st => st.Width), s.FinalExpandWidth, s.FeatureMixWidth]),
        new("strides", "strides", Rule.Same, s => [s.FirstConvStride, .. s.Stages.Select(st => st.Stride)], Later: true),
        new("se", "squeeze-excite per stage", Rule.Same, s => [.. s.Stages.Select(st => st.UseSe ? 1 : 0)], Later: true),
        new("hswish", "h-swish (first block, each stage)", Rule.Same,
            s => [s.FirstBlockActivation == Activation.HSwish ? 1 : 0, .. s.Stages.Select(st => st.Activation == Activation.HSwish ? 1 : 0)], Later: true),
        new("in", "input channels", Rule.Same, s => [s.InputChannels]),
        new("classes", "classes", Rule.Same, s => [s.NumClasses]),
    ];

    /// <summary>Each field's values; null for a later field the description does not record.</summary>
    private readonly int[]?[] _values;

    private TrainingSpace(int[]?[] values) => _values = values;

    public static TrainingSpace Of(SearchSpace space) => new(Fields.Select(f => f.Of(space)).ToArray());

    /// <summary>
    /// One line, e.g. <c>ofa-space-v1;stages=5;max_depth=4;d=2,3,4;ks=3,5,7;e=3,4,6;r=128,...;widths=...;strides=2,2,2,2,1,2;se=0,1,0,1,1;hswish=0,0,0,1,1,1;in=3;classes=1000</c>
    /// (a field not recorded is left out).
    /// </summary>
    public string Describe() => string.Join(';',
        [Scheme, .. Fields.Select((f, i) => (f.Name, Values: _values[i])).Where(x => x.Values is not null).Select(x => $"{x.Name}={SchemeDescription.List(x.Values!)}")]);

    /// <summary>
    /// Reads <see cref="Describe"/>'s line back, a line without the later fields too; errors are
    /// <see cref="OfaFormatException"/>s naming <paramref name="source"/>.
    /// </summary>
    public static TrainingSpace Parse(string description, string source)
    {
        var fields = SchemeDescription.Fields(description, Scheme, source);
        return new(Fields.Select(f => f.Later && !fields.ContainsKey(f.Name) ? null : SchemeDescription.Ints(fields, f.Name, Scheme, source)).ToArray());
    }

    /// <summary>What the description does not record (written before it was), so is not checked: "strides", ...; empty when all is.</summary>
    public IReadOnlyList<string> NotRecorded => Fields.Where((_, i) => _values[i] is null).Select(f => f.What).ToArray();

    /// <summary>
    /// What of <paramref name="space"/> the predictor was not trained on, a phrase per field ("widths 24,24,32,...
    /// (the package's: 16,16,24,...)"); empty when it was trained on all of it.
    /// </summary>
    public IReadOnlyList<string> Mismatches(SearchSpace space) =>
        Fields.Select((f, i) => (Field: f, Trained: _values[i], Package: f.Of(space)))
            .Where(x => x.Trained is { } t && (x.Field.Rule == Rule.Same ? !x.Package.SequenceEqual(t) : x.Package.Except(t).Any()))
            .Select(x => $"{x.Field.What} {SchemeDescription.List(x.Trained!)} (the package's: {SchemeDescription.List(x.Package)})")
            .ToArray();

    /// <summary>The `--space` (and `--classes`) options of the preset whose space this is, or null when no preset's is.</summary>
    public string? PresetOptions()
    {
        int classes = _values[Array.FindIndex(Fields, f => f.Name == "classes")]![0];
        foreach (var name in Presets.Names)
        {
            if (Mismatches(Presets.Get(name, classes)).Count > 0) continue;
            return classes == Presets.Get(name).NumClasses ? $"--space {name}" : $"--space {name} --classes {classes}";
        }
        return null;
    }

    /// <summary>
    /// Refuses <paramref name="space"/> unless the predictor was trained on all of it: names <paramref name="source"/>,
    /// what it was trained on against the package's space, and <paramref name="fix"/>.
    /// </summary>
    public void Check(SearchSpace space, string source, string fix)
    {
        var mismatches = Mismatches(space);
        if (mismatches.Count == 0) return;
        string which = PresetOptions() is { } options ? $" (that of {options})" : "";
        throw new OfaException($"{source}: the accuracy predictor was trained on another search space{which} than the package's '{space.Name}': " +
            $"{string.Join("; ", mismatches)}. Its numbers would be the accuracy of other networks. {fix}");
    }
}
