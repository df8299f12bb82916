using System.Collections;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace OfaBuild.Tasks.Tests;

/// <summary>An item as MSBuild hands it to a task: with the file that defined it (a TaskItem made in a test has none).</summary>
internal sealed class DefinedItem(TaskItem item, string definingProject) : ITaskItem
{
    public string ItemSpec { get => item.ItemSpec; set => item.ItemSpec = value; }
    public ICollection MetadataNames => item.MetadataNames;
    public int MetadataCount => item.MetadataCount;
    public string GetMetadata(string metadataName) => metadataName == "DefiningProjectFullPath" ? definingProject : item.GetMetadata(metadataName);
    public void SetMetadata(string metadataName, string metadataValue) => item.SetMetadata(metadataName, metadataValue);
    public void RemoveMetadata(string metadataName) => item.RemoveMetadata(metadataName);
    public void CopyMetadataTo(ITaskItem destinationItem) => item.CopyMetadataTo(destinationItem);
    public IDictionary CloneCustomMetadata() => item.CloneCustomMetadata();
}
