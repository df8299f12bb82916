namespace OfaBuild.Generator.Tests.Harness;

/// <summary>A project directory on disk with a model file, so OFA0001 stays quiet unless a test wants it.</summary>
public sealed class Scenario : IDisposable
{
    public string ProjectDir { get; } = Directory.CreateTempSubdirectory("ofabuild-gen-").FullName;

    public Scenario(bool withModelFile = true)
    {
        if (!withModelFile) return;
        Directory.CreateDirectory(Path.Combine(ProjectDir, "models"));
        File.WriteAllText(Path.Combine(ProjectDir, "models", "tiny.ofa"), "not read by the generator");
    }

    public GeneratorHarness Harness(string rid = "") => new() { ProjectDir = ProjectDir, RuntimeIdentifier = rid };

    public static ManifestFile Manifest(string ofaClass, OfaBuild.Core.Specialization.TargetManifest m) =>
        new($"/project/obj/ofabuild/{ofaClass}/{m.Target}.json", ofaClass, m.Target, m.ToJson());

    public void Dispose() => Directory.Delete(ProjectDir, recursive: true);
}
