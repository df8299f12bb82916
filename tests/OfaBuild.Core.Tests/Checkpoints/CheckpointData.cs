namespace OfaBuild.Core.Tests.Checkpoints;

/// <summary>The small torch.save files of Checkpoints/Data (written by Debian's torch 1.13), for the reader, importer and fuzz tests.</summary>
internal static class CheckpointData
{
    public static string File(string file) => Fixtures.RepoFile("tests", "OfaBuild.Core.Tests", "Checkpoints", "Data", file);
}
