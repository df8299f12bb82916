using Microsoft.Build.Framework;
using OfaBuild.Runtime;

namespace OfaBuild.Tasks;

/// <summary>
/// Where each &lt;OfaTarget&gt; item's diagnostics point: the file that defines it (DefiningProjectFullPath: the .csproj,
/// or the imported .props it is written in) at its element (<see cref="ItemLocator"/>); (1,1) of that file when the
/// element cannot be found there. Items come in evaluation order, so the nth item of a name in a file is found at the nth
/// element naming it (a device written twice is reported at its second element). Reads each file once.
/// </summary>
internal sealed class ItemLocations
{
    private readonly Dictionary<string, string?> _texts = new(StringComparer.Ordinal);
    /// <summary>Items seen per "file|device", the device compared as <see cref="ItemLocator.Find"/> compares it (<see cref="DeviceNames"/>).</summary>
    private readonly Dictionary<string, int> _seen = new(DeviceNames.Comparer);

    public Location Of(ITaskItem item)
    {
        string file = item.GetMetadata("DefiningProjectFullPath");
        string name = item.ItemSpec.Trim();
        string key = file + "|" + name;
        int occurrence = _seen.GetValueOrDefault(key);
        _seen[key] = occurrence + 1;
        var at = Text(file) is { } text ? ItemLocator.Find(text, name, occurrence) : null;
        return new Location(file, at?.Line ?? 1, at?.Column ?? 1);
    }

    private string? Text(string file)
    {
        if (!_texts.TryGetValue(file, out var text))
            _texts[file] = text = Read(file);
        return text;
    }

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
