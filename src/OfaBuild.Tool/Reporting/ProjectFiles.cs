using System.Xml;
using System.Xml.Linq;
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
/// <remarks>
/// A Directory.Build file is read as MSBuild imports it: unless its switch (ImportDirectoryBuildProps, ...Targets) is set,
/// in the files read before the SDK's import of it, to a value other than empty or "true" (MSBuild's test). The SDK imports
/// Directory.Build.props before the project's body (<c>&lt;Project Sdk="..."&gt;</c>), so only a switch written before an
/// explicit <c>&lt;Import Project="Sdk.props" Sdk="..."&gt;</c> turns it off; Directory.Build.targets after the body, or at
/// <c>&lt;Import Project="Sdk.targets" Sdk="..."&gt;</c>. A switch set by a condition or a property is MSBuild's to decide:
/// the file is not followed but listed, as an import whose path MSBuild makes is.
/// </remarks>
public sealed record ProjectFiles(IReadOnlyList<string> Files, IReadOnlyList<string> NotFollowed)
{
    public static ProjectFiles Of(string csproj)
    {
        var project = Path.GetFullPath(csproj);
        var walk = new Walk(Path.GetDirectoryName(project)!);
        var nodes = Read(File.ReadAllText(project));
        int props = nodes.FindIndex(n => n is SdkImport { Targets: false }) is var p and >= 0 ? p : 0;
        int targets = nodes.FindIndex(n => n is SdkImport { Targets: true }) is var t and >= 0 ? t : nodes.Count;
        walk.Visit(project, nodes[..Math.Min(props, targets)], conditional: false);
        walk.DirectoryBuildFile("Directory.Build.props", "ImportDirectoryBuildProps");
        walk.Follow(project, conditional: false, nodes[Math.Min(props, targets)..targets]);
        walk.DirectoryBuildFile("Directory.Build.targets", "ImportDirectoryBuildTargets");
        walk.Visit(project, nodes[targets..], conditional: false);
        return new(walk.Files, walk.NotFollowed);
    }

    /// <summary>A file in the project's folder or above, shown relative to the folder (as the report names files).</summary>
    public static string Shown(string file, string projectDir) => Path.GetRelativePath(projectDir, file);

    /// <summary>What the walk reads of a file, in document order.</summary>
    private abstract record Node(int Line);

    /// <summary>An &lt;Import Project="..."&gt; that is not an SDK's; <paramref name="Conditional"/>: under a Condition MSBuild decides (its own or an enclosing ImportGroup's).</summary>
    private sealed record Import(string Project, bool Conditional, int Line) : Node(Line);

    /// <summary>An SDK's &lt;Import Project="Sdk.props"&gt; (or Sdk.targets): where the SDK imports the Directory.Build file.</summary>
    private sealed record SdkImport(bool Targets, int Line) : Node(Line);

    /// <summary>A Directory.Build switch set; <paramref name="Conditional"/>: under a Condition that is not false as written.</summary>
    private sealed record Switch(string Name, string Value, bool Conditional, int Line) : Node(Line);

    private static readonly string[] Switches = ["ImportDirectoryBuildProps", "ImportDirectoryBuildTargets"];

    /// <summary>The files read so far, what was not followed, and the switches set, in the order MSBuild reads them.</summary>
    private sealed class Walk(string projectDir)
    {
        public List<string> Files { get; } = new();
        public List<string> NotFollowed { get; } = new();
        private readonly List<(string Name, string Value, bool Conditional, string At)> _switches = new();

        public void Follow(string file, bool conditional, IReadOnlyList<Node>? nodes = null)
        {
            if (Files.Contains(file, StringComparer.Ordinal)) return; // MSBuild imports a file once
            Files.Add(file);
            Visit(file, nodes ?? Read(File.ReadAllText(file)), conditional);
        }

        /// <param name="conditional">The file is imported under a Condition: the switches it sets are MSBuild's to decide.</param>
        public void Visit(string file, IEnumerable<Node> nodes, bool conditional)
        {
            foreach (var node in nodes)
            {
                if (node is Switch s) _switches.Add((s.Name, s.Value, conditional || s.Conditional, $"{Shown(file, projectDir)}:{s.Line}"));
                if (node is not Import(var project, var importConditional, var line)) continue;
                string at = $"<Import Project=\"{project}\"> at {Shown(file, projectDir)}:{line}";
                if (ProjectXml.Expands(project)) { NotFollowed.Add($"{at} (MSBuild makes its path)"); continue; }
                var path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, project));
                if (File.Exists(path)) Follow(path, conditional || importConditional);
                else if (!importConditional) NotFollowed.Add($"{at} (no such file: '{path}')");
            }
        }

        /// <summary>The nearest Directory.Build file <paramref name="name"/>, followed when its switch, as set so far, imports it.</summary>
        public void DirectoryBuildFile(string name, string switchName)
        {
            if (Nearest(projectDir, name) is not { } file) return;
            bool? imports = true; // MSBuild's default
            string? at = null;
            foreach (var s in _switches.Where(s => s.Name.Equals(switchName, StringComparison.OrdinalIgnoreCase)))
            {
                // MSBuild imports the file when the switch is empty (then defaulted to true) or "true", ignoring case.
                imports = s.Conditional || ProjectXml.Expands(s.Value) ? null : s.Value.Length == 0 || s.Value.Equals("true", StringComparison.OrdinalIgnoreCase);
                at = s.At;
            }
            if (imports == true) Follow(file, conditional: false);
            else if (imports is null) NotFollowed.Add($"{Shown(file, projectDir)} (imported when {switchName} is true; set at {at} by a condition or property MSBuild decides)");
        }
    }

    private static string? Nearest(string dir, string name)
    {
        for (var d = new DirectoryInfo(dir); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, name))) return Path.Combine(d.FullName, name);
        return null;
    }

    /// <summary>
    /// The text's imports, SDK imports and Directory.Build switches, in document order, with their lines (those before a
    /// break in the XML). An import or switch under a Condition false as written (its own or an enclosing element's) does nothing.
    /// </summary>
    private static List<Node> Read(string text)
    {
        var found = new List<Node>();
        ProjectXml.Walk(text, (reader, conditions) =>
        {
            int line = ((IXmlLineInfo)reader).LineNumber;
            if (reader.LocalName == "Import" && reader.GetAttribute("Project") is { } project)
            {
                if (conditions.False) return; // imports nothing, whatever the properties
                if (reader.GetAttribute("Sdk") is null) found.Add(new Import(project.Trim(), conditions.Conditional, line));
                else if (project.Trim() is "Sdk.props" or "Sdk.targets") found.Add(new SdkImport(project.Trim() == "Sdk.targets", line));
            }
            else if (Switches.Contains(reader.LocalName, StringComparer.OrdinalIgnoreCase))
            {
                string name = reader.LocalName;
                using var subtree = reader.ReadSubtree(); // leaves the reader at the element's end
                var value = XElement.Load(subtree).Value;
                if (!conditions.False) found.Add(new Switch(name, value, conditions.Conditional, line));
            }
        });
        return found;
    }
}
