using System.Text.Json;

namespace OfaBuild.Tasks;

/// <summary>
/// One specialised target as the build consumes it: where its files are and which RIDs it runs on (from its manifest);
/// <paramref name="Rungs"/>: an adaptive target's lower rungs' ONNX files (null or empty for a fixed target);
/// <paramref name="FromItem"/>: declared by an &lt;OfaTarget&gt; item, not an [OfaTarget] attribute (how advice words a target to add);
/// <paramref name="Specialised"/> false: the RuntimeIdentifier left it out, so it has no files, and its RIDs are the catalog's;
/// <paramref name="Warnings"/>: what the tool warned of it when it last specialised it, repeated while it is up to date (<see cref="RepeatedWarnings"/>).
/// </summary>
internal sealed record TargetOutput(string ClassName, string Name, string Onnx, string Manifest, string[] RuntimeIdentifiers, Location ClassLocation,
    string[]? Rungs = null, bool FromItem = false, bool Specialised = true, LocatedWarning[]? Warnings = null)
{
    /// <summary>Every ONNX file to embed: rung 0, then the lower rungs.</summary>
    public IEnumerable<string> Models => Rungs is null ? [Onnx] : Rungs.Prepend(Onnx);
}

/// <summary>
/// What the last successful run saw and made (obj/ofa/state.json). When the fingerprint of the inputs is
/// unchanged, a no-op build emits these outputs without parsing sources or hashing supernets.
/// </summary>
internal sealed record BuildState(string Fingerprint, string[] Dependencies, TargetOutput[] Outputs)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static BuildState? Load(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<BuildState>(File.ReadAllText(path), Json) : null;
        }
        catch (JsonException)
        {
            return null; // a damaged cache only costs a full run
        }
    }

    public void Save(string path)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(this, Json));
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>All outputs of the specialised targets still on disk?</summary>
    public bool OutputsExist() => Outputs.Where(o => o.Specialised).All(o => o.Models.All(File.Exists) && File.Exists(o.Manifest));

    /// <summary>
    /// Fingerprint of the inputs: the sources that declare specs (path and content hash), &lt;OfaTarget&gt; items,
    /// runtime identifier, the tool, and the supernets/profiles the last plan read (path, size, time).
    /// </summary>
    public static string ComputeFingerprint(IEnumerable<string> sources, IEnumerable<string> items, string rid, string toolIdentity, IEnumerable<string> dependencies) =>
        ContentHash.OfText(string.Join("\n",
            sources
                .Concat(items)
                .Append("rid " + rid)
                .Append("tool " + toolIdentity)
                .Concat(dependencies.Select(ContentHash.Stat))));
}
