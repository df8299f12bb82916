using System.Reflection;
using System.Text.RegularExpressions;
using OfaBuild.Contracts;
using OfaBuild.Core;
using OfaBuild.Runtime;

namespace OfaBuild.Generator.Tests;

/// <summary>
/// The names README.md and docs/ARCHITECTURE.md give users against the code that owns them: MSBuild properties,
/// items, metadata and targets against the repository's project files, and runtime types and members against the
/// runtime. A name renamed on one side only fails here, not in a user's project.
/// </summary>
public sealed partial class ReadmeNamesTests
{
    private static readonly string[] Docs = [.. UserDocs.Files.Select(File.ReadAllText)];

    /// <summary>The package's build/ files and every project of the repository's build (nuget/, src/), without obj/ and bin/.</summary>
    private static readonly string[] MsBuildFiles = new[] { "build", "nuget", "src" }
        .SelectMany(d => Directory.EnumerateFiles(Fixtures.RepoFile(d), "*.*", SearchOption.AllDirectories))
        .Where(f => f.EndsWith(".props", StringComparison.Ordinal) || f.EndsWith(".targets", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal))
        .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(p => p is "obj" or "bin"))
        .Append(Fixtures.RepoFile("Directory.Build.props"))
        .Select(File.ReadAllText).ToArray();

    /// <summary>The properties MSBuild files read: $(Name).</summary>
    private static HashSet<string> ReadProperties() =>
        MsBuildFiles.SelectMany(f => PropertyRead().Matches(f).Select(m => m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);

    /// <summary>Every name MSBuild files define or read: properties, items and their metadata, targets, tasks.</summary>
    private static HashSet<string> MsBuildNames() =>
        MsBuildFiles.SelectMany(f => MsBuildName().Matches(f).Select(m => m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void Every_Ofa_property_the_docs_set_is_read_by_a_project_file()
    {
        // `OfaEnabled=false`, `-p:OfaPackNativeTool=false`: a property a user sets must be one a project file reads.
        var set = Docs.SelectMany(d => PropertySet().Matches(d).Select(m => m.Groups[1].Value)).Distinct().ToList();
        Assert.Contains("OfaEnabled", set);
        Assert.Empty(set.Except(ReadProperties()));
    }

    [Fact]
    public void Every_Ofa_name_the_docs_give_is_a_type_an_attribute_or_an_msbuild_name_of_the_repository()
    {
        var types = new[] { typeof(OfaTargetInfo).Assembly, typeof(OfaException).Assembly, typeof(OfaAttributeNames).Assembly }
            .SelectMany(a => a.GetExportedTypes()).Select(t => t.Name);
        var known = MsBuildNames().Concat(types).Append(OfaAttributeNames.Model).Append(OfaAttributeNames.Target).ToHashSet(StringComparer.Ordinal);
        var named = Docs.SelectMany(d => OfaName().Matches(d).Select(m => m.Value)).Where(n => n != "OfaBuild").Distinct().ToList();
        Assert.Contains("OfaToolAssembly", named);
        Assert.Empty(named.Except(known));
    }

    [Fact]
    public void Every_metadata_the_docs_give_an_OfaTarget_item_is_one_the_task_reads()
    {
        // `<OfaTarget Include="cortex-a72" Class="App.Net" LatencyMs="8" />` and the prose's `Precision="Int8"`: an item's
        // own attributes (Include, Condition, ...) or OfaAttributeNames.ItemMetadata, which the task reads and compares.
        string[] itemAttributes = ["Include", "Exclude", "Remove", "Update", "Condition", "KeepMetadata", "RemoveMetadata", "KeepDuplicates", "MatchOnMetadata", "MatchOnMetadataOptions"];
        var known = itemAttributes.Concat(OfaAttributeNames.ItemMetadata).ToHashSet(StringComparer.Ordinal);
        var given = Docs.SelectMany(d => ItemElement().Matches(d).Cast<Match>().Concat(AttributeSpan().Matches(d)))
            .SelectMany(m => XmlAttribute().Matches(m.Value).Select(a => a.Groups[1].Value)).Distinct().ToList();
        Assert.Contains(OfaAttributeNames.ItemClass, given);
        Assert.Empty(given.Except(known));
    }

    [Fact]
    public void Every_member_the_docs_name_on_a_runtime_type_or_on_Info_exists()
    {
        // `Info.Input.Prepare`, `OfaPrecision.Int8`, `Governor.LatencyBudgetMs`: the receiver's type, then each member's.
        var runtime = typeof(OfaTargetInfo).Assembly.GetExportedTypes().ToDictionary(t => t.Name, t => new[] { t });
        runtime["Info"] = [typeof(OfaTargetInfo), typeof(AdaptiveTargetInfo)];
        runtime["Governor"] = [typeof(AdaptiveSession).GetProperty(nameof(AdaptiveSession.Governor))!.PropertyType];
        var wrong = new List<string>();
        int checkedCount = 0;
        foreach (Match m in Docs.SelectMany(d => MemberAccess().Matches(d)))
        {
            if (!runtime.TryGetValue(m.Groups[1].Value, out var receivers)) continue;
            checkedCount++;
            var members = m.Groups[2].Captures.Select(c => c.Value).ToList();
            if (!receivers.Any(t => Resolves(t, members))) wrong.Add(m.Value);
        }
        Assert.True(checkedCount >= 5, $"only {checkedCount} member accesses found in the docs: is the pattern still right?");
        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong.Distinct()));
    }

    [Fact]
    public void The_apps_Info_members_exist_on_an_adaptive_targets_Info_too()
    {
        // The README's app snippet (`new float[model.Info.InputLength]`) did not compile once a target was made adaptive:
        // AdaptiveTargetInfo had Input but not InputLength. Code written for a fixed target must survive `Adaptive = true`.
        var used = Docs.SelectMany(d => AppInfoMember().Matches(d).Select(m => m.Groups[1].Value)).Distinct().ToList();
        Assert.Contains("InputLength", used);
        Assert.All(used, name => Assert.NotEmpty(typeof(OfaTargetInfo).GetMember(name)));
        Assert.All(used, name => Assert.NotEmpty(typeof(AdaptiveTargetInfo).GetMember(name)));
    }

    [Fact]
    public void Every_repository_path_the_docs_give_exists()
    {
        // `src/OfaBuild.Tasks/ItemLocator.cs`, `build/pack-tool.sh`, `samples/report`: a file moved or renamed (ProgressBar.cs,
        // ProjectFiles.cs today) must not leave the docs pointing at nothing. Patterns (`*`, `<RID>`) and what a build writes
        // (bin/, obj/, nuget/feed/) are not in the repository.
        var paths = UserDocs.Files.SelectMany(UserDocs.CodeSpans).SelectMany(span => RepoPath().Matches(span)).Select(m => m.Value.TrimEnd('/', '.', ':'))
            .Where(p => p.IndexOfAny(['*', '<']) < 0 && !p.StartsWith("nuget/feed", StringComparison.Ordinal) && !p.Split('/').Any(s => s is "bin" or "obj"))
            .Distinct().ToList();
        Assert.Contains("src/OfaBuild.Tasks/ItemLocator.cs", paths);
        var missing = paths.Where(p => !File.Exists(Fixtures.RepoFile(p)) && !Directory.Exists(Fixtures.RepoFile(p))).ToList();
        Assert.True(missing.Count == 0, "the docs name paths the repository does not have: " + string.Join(", ", missing));
    }

    /// <summary>Each member exists on the type the previous one gives (a property's or field's type; the last may be a method).</summary>
    private static bool Resolves(Type type, IReadOnlyList<string> members)
    {
        foreach (var name in members)
        {
            var found = type.GetMember(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static);
            if (found.Length == 0) return false;
            type = found[0] switch { PropertyInfo p => p.PropertyType, FieldInfo f => f.FieldType, _ => typeof(void) };
        }
        return true;
    }

    [GeneratedRegex(@"\bmodel\.Info\.(\w+)")]
    private static partial Regex AppInfoMember();

    /// <summary>A path from the repository's root: src/..., tests/..., build/..., samples/..., docs/..., nuget/....</summary>
    [GeneratedRegex(@"(?<![\w./-])(?:src|tests|build|samples|docs|nuget)/[\w.*<>/-]*")]
    private static partial Regex RepoPath();

    [GeneratedRegex(@"\$\((\w+)\)")]
    private static partial Regex PropertyRead();

    /// <summary>$(P), @(Item), %(Item.Meta) or %(Meta), &lt;Element, Name="Target", MetadataName="M", TaskName="Ns.Task", a task's output PropertyName="P".</summary>
    [GeneratedRegex(@"(?:[$@]\(|%\((?:\w+\.)?|<|\bName=""|\bMetadataName=""|\bTaskName=""[\w.]*\.|\bPropertyName="")(\w+)")]
    private static partial Regex MsBuildName();

    /// <summary>A property given a value: `-p:OfaX=...` or `OfaX=...` (not an item's `Include="..."`).</summary>
    [GeneratedRegex(@"(?<![\w.])(?:-p:)?(Ofa[A-Z]\w*)=")]
    private static partial Regex PropertySet();

    /// <summary>An &lt;OfaTarget ...&gt; element as the docs write it.</summary>
    [GeneratedRegex(@"<OfaTarget\s[^>]*>")]
    private static partial Regex ItemElement();

    /// <summary>A code span holding only metadata: `Precision="Int8"`.</summary>
    [GeneratedRegex(@"`\w+=""[^""`]*""`")]
    private static partial Regex AttributeSpan();

    [GeneratedRegex(@"(\w+)=""")]
    private static partial Regex XmlAttribute();

    [GeneratedRegex(@"\bOfa[A-Z]\w*")]
    private static partial Regex OfaName();

    /// <summary>Receiver.Member[.Member...], members capitalised as .NET names them.</summary>
    [GeneratedRegex(@"\b([A-Z]\w*)(?:\.([A-Z]\w*))+")]
    private static partial Regex MemberAccess();
}
