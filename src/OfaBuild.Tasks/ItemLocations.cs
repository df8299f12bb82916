using Microsoft.Build.Framework;

namespace OfaBuild.Tasks;

/// <summary>
/// Where each &lt;OfaTarget&gt; item's diagnostics point: the file that defines it (DefiningProjectFullPath: the .csproj,
/// or the imported .props it is written in) at its element, the items of each file matched to its elements together
/// (<see cref="ItemLocator.Locate"/>, on the item's name and the metadata the planner reads); (1,1) of that file when
/// the element cannot be found there. Reads each file once.
/// </summary>
internal static class ItemLocations
{
    /// <summary>The location of each of <paramref name="items"/> (in evaluation order, as MSBuild passes them), in their order.</summary>
    public static Location[] Of(IReadOnlyList<ITaskItem> items)
    {
        var found = new Location[items.Count];
        foreach (var file in Enumerable.Range(0, items.Count).GroupBy(i => items[i].GetMetadata("DefiningProjectFullPath"), StringComparer.Ordinal))
        {
            var indices = file.ToList();
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
        if (file.Length == 0) return null;
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
