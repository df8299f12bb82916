using System.Xml;
using OfaBuild.Tasks;

namespace OfaBuild.Tool.Reporting;

/// <summary>
/// The project files MSBuild reads for a .csproj, as far as their text tells: the nearest Directory.Build.props in its
/// folder or above (MSBuild imports it before the project), the project, the nearest Directory.Build.targets (imported
/// after it), and each file one of them &lt;Import&gt;s by a path relative to it, followed in turn, each file once.
/// An import whose path MSBuild makes (a property, an item, a wildcard) or that names no file is not followed but
/// listed in <see cref="NotFollowed"/>, so a report that reads fewer files than the build says so; an SDK's own imports
/// (Sdk="...") and an import conditioned on a file that is not there are not the app's and not listed.
/// </summary>
public sealed record ProjectFiles(IReadOnlyList<string> Files, IReadOnlyList<string> NotFollowed)
{
    public static ProjectFiles Of(string csproj)
    {
        var files = new List<string>();
        var notFollowed = new List<string>();
        var dir = Path.GetDirectoryName(Path.GetFullPath(csproj))!;
        foreach (var root in new[] { Nearest(dir, "Directory.Build.props"), Path.GetFullPath(csproj), Nearest(dir, "Directory.Build.targets") })
            if (root is not null) Follow(root, dir, files, notFollowed);
        return new(files, notFollowed);
    }

    /// <summary>A file in the project's folder or above, shown relative to the folder (as the report names files).</summary>
    public static string Shown(string file, string projectDir) => Path.GetRelativePath(projectDir, file);

    private static void Follow(string file, string projectDir, List<string> files, List<string> notFollowed)
    {
        if (files.Contains(file, StringComparer.Ordinal)) return; // MSBuild imports a file once
        files.Add(file);
        foreach (var (project, condition, line) in Imports(File.ReadAllText(file)))
        {
            string at = $"<Import Project=\"{project}\"> at {Shown(file, projectDir)}:{line}";
            if (ItemLocator.Expands(project)) { notFollowed.Add($"{at} (MSBuild makes its path)"); continue; }
            var path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, project));
            if (File.Exists(path)) Follow(path, projectDir, files, notFollowed);
            else if (condition is null) notFollowed.Add($"{at} (no such file: '{path}')");
        }
    }

    private static string? Nearest(string dir, string name)
    {
        for (var d = new DirectoryInfo(dir); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, name))) return Path.Combine(d.FullName, name);
        return null;
    }

    /// <summary>The text's &lt;Import Project="..."&gt; elements that are not an SDK's, with their Condition and line (those before a break in the XML).</summary>
    private static List<(string Project, string? Condition, int Line)> Imports(string text)
    {
        var found = new List<(string, string?, int)>();
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null });
            while (reader.Read())
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Import" && reader.GetAttribute("Sdk") is null && reader.GetAttribute("Project") is { } project)
                    found.Add((project.Trim(), reader.GetAttribute("Condition"), ((IXmlLineInfo)reader).LineNumber));
        }
        catch (XmlException)
        {
            // MSBuild refuses a broken file itself; the imports before the break are still followed.
        }
        return found;
    }
}
