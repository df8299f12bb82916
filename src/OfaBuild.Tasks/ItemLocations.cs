using Microsoft.Build.Framework;

namespace OfaBuild.Tasks;

/// <summary>
/// Where each &lt;OfaTarget&gt; item's diagnostics point: the file that defines it (DefiningProjectFullPath: the .csproj,
/// or the imported .props it is written in) at its element, the items of each file matched to its elements together
/// (<see cref="ItemLocator.Locate"/>, on the item's name and the metadata the planner reads); (1,1) of that file when
/// the element cannot be found there. An item that names no such file (MSBuild names one for the items it evaluates and
/// for task outputs; items made in code may have none) is at (1,1) of the project being built, whose text is not searched:
/// nothing says it made the item.
/// Reads each file once.
/// </summary>
internal static class ItemLocations
{
    /// <summary>
    /// The location of each of <paramref name="items"/> (in evaluation order, as MSBuild passes them), in their order;
    /// <paramref name="projectFile"/> is the project being built.
    /// </summary>
    public static Location[] Of(IReadOnlyList<ITaskItem> items, string projectFile)
    {
        var found = new Location[items.Count];
        foreach (var file in Enumerable.Range(0, items.Count).GroupBy(i => items[i].GetMetadata("DefiningProjectFullPath"), StringComparer.Ordinal))
        {
            var indices = file.ToList();
            if (file.Key.Length == 0)
            {
                foreach (var i in indices) found[i] = new Location(projectFile, 1, 1);
                continue;
            }
            var at = Read(file.Key) is { } text ? ItemLocator.Locate(text, indices.Select(i => Describe(items[i])).ToList()) : null;
            for (int k = 0; k < indices.Count; k++)
                found[indices[k]] = new Location(file.Key, at?[k]?.Line ?? 1, at?[k]?.Column ?? 1);
        }
        return found;
    }

    private static ItemLocator.Item Describe(ITaskItem item) =>
        new(item.ItemSpec, TargetItem.Metadata.ToDictionary(name => name, item.GetMetadata, StringComparer.OrdinalIgnoreCase));

    private static string? Read(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // the diagnostic still names the file, at (1,1)
        }
    }
}
