using System.Collections;
using Microsoft.Build.Framework;

namespace OfaBuild.Tool.Reporting;

/// <summary>
/// An item of `dotnet msbuild -getItem` (its Identity and metadata, as JSON prints them) as the build task has it, an
/// <see cref="ITaskItem"/>, so the report reads it with the task's own code (<c>TargetItem.Spec</c>, <c>ItemLocations</c>).
/// Read-only: nothing in the report writes metadata.
/// </summary>
public sealed class EvaluatedItem(string itemSpec, IReadOnlyDictionary<string, string> metadata) : ITaskItem
{
    /// <summary>The metadata MSBuild gives every item (-getItem prints them with the item's own); a task's CloneCustomMetadata leaves them out.</summary>
    private static readonly HashSet<string> WellKnown = new(StringComparer.OrdinalIgnoreCase)
    {
        "Identity", "FullPath", "RootDir", "Filename", "Extension", "RelativeDir", "Directory", "RecursiveDir",
        "ModifiedTime", "CreatedTime", "AccessedTime",
        "DefiningProjectFullPath", "DefiningProjectDirectory", "DefiningProjectName", "DefiningProjectExtension",
    };

    // MSBuild's metadata names ignore case.
    private readonly Dictionary<string, string> _metadata = new(metadata, StringComparer.OrdinalIgnoreCase);

    public string ItemSpec { get => itemSpec; set => throw new NotSupportedException(); }
    public ICollection MetadataNames => _metadata.Keys;
    public int MetadataCount => _metadata.Count;
    public string GetMetadata(string metadataName) => _metadata.GetValueOrDefault(metadataName, "");
    public void SetMetadata(string metadataName, string metadataValue) => throw new NotSupportedException();
    public void RemoveMetadata(string metadataName) => throw new NotSupportedException();
    public void CopyMetadataTo(ITaskItem destinationItem) => throw new NotSupportedException();

    public IDictionary CloneCustomMetadata() =>
        _metadata.Where(m => !WellKnown.Contains(m.Key)).ToDictionary(m => m.Key, m => m.Value, StringComparer.OrdinalIgnoreCase);
}
