using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OfaBuild.Contracts;
using OfaBuild.Core.Devices;
using OfaBuild.Generator.Emit;
using OfaBuild.TestSupport;

namespace OfaBuild.Generator.Tests;

/// <summary>
/// The names the build's parts agree on (OfaBuild.Contracts) against what the generator declares to the user and what
/// build/OfaBuild.props passes to the compiler: a name changed in one place fails here, not in a user's build.
/// </summary>
public sealed class ContractNamesTests
{
    private static readonly string AttributesSource = WrapperEmitter.EmitAttributes();

    private static ClassDeclarationSyntax Attribute(string name) => CSharpSyntaxTree.ParseText(AttributesSource).GetRoot()
        .DescendantNodes().OfType<ClassDeclarationSyntax>().Single(c => c.Identifier.ValueText == name + "Attribute");

    [Theory]
    [InlineData(OfaAttributeNames.Model)]
    [InlineData(OfaAttributeNames.Target)]
    public void Each_attribute_is_declared_under_the_name_the_task_and_the_generator_look_for(string name)
    {
        var declared = Attribute(name);
        var ns = declared.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().Single().Name.ToString();
        Assert.Equal(OfaAttributeNames.MetadataName(name), ns + "." + declared.Identifier.ValueText);
    }

    [Fact]
    public void The_target_attribute_s_named_arguments_are_the_ones_the_task_reads()
    {
        var settable = Attribute(OfaAttributeNames.Target).Members.OfType<PropertyDeclarationSyntax>()
            .Where(p => p.AccessorList!.Accessors.Any(a => a.IsKind(SyntaxKind.SetAccessorDeclaration)))
            .Select(p => p.Identifier.ValueText);
        Assert.Equal(OfaAttributeNames.TargetArguments, settable);
    }

    [Fact]
    public void The_target_attribute_s_documentation_names_every_catalog_device_and_the_ladder_s_range()
    {
        // Taken from the catalog's files at the generator's build (OfaBuild.Generator.csproj); it once missed note10.
        Assert.Contains($"A device of the catalog ({string.Join(", ", DeviceCatalog.Builtin().Names)})", AttributesSource);
        Assert.Contains($"rung 0 included ({LadderLevels.Min} to {LadderLevels.Max}; default {LadderLevels.Default})", AttributesSource);
    }

    [Fact]
    public void Every_manifest_precision_is_a_runtime_enum_member_of_its_name()
    {
        foreach (var p in Precisions.All)
        {
            var member = CSharpLiteral.Precision(p).Split('.')[^1];
            Assert.True(Enum.TryParse<OfaPrecision>(member, out var parsed), $"{p} -> {member}");
            Assert.Equal(p, parsed.ToString().ToLowerInvariant());
        }
    }

    [Fact]
    public void The_props_make_every_manifest_metadata_compiler_visible()
    {
        var visible = XDocument.Load(Fixtures.RepoFile("build", "OfaBuild.props")).Descendants("CompilerVisibleItemMetadata")
            .Where(e => (string?)e.Attribute("Include") == "AdditionalFiles")
            .Select(e => (string?)e.Attribute("MetadataName"));
        Assert.Equal(ManifestItemMetadata.All, visible);
    }

    [Fact]
    public void The_targets_set_the_rid_excluded_targets_property_the_props_make_compiler_visible()
    {
        Assert.Contains(XDocument.Load(Fixtures.RepoFile("build", "OfaBuild.props")).Descendants("CompilerVisibleProperty"),
            e => (string?)e.Attribute("Include") == RidExcludedTargets.Property);
        Assert.Contains(XDocument.Load(Fixtures.RepoFile("build", "OfaBuild.targets")).Descendants("Output"),
            e => (string?)e.Attribute("TaskParameter") == "ExcludedTargets" && (string?)e.Attribute("PropertyName") == RidExcludedTargets.Property);
    }

    [Fact]
    public void The_readme_documents_every_diagnostic_once_and_names_no_other()
    {
        // The README's "Diagnostics" table is where users look an ID up; a new ID without a row, or a row or a
        // mention left behind by a removed one, fails here.
        var ids = typeof(DiagnosticIds).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).Order().ToList();
        var readme = File.ReadAllLines(Fixtures.RepoFile("README.md"));
        var rows = readme.Select(l => Regex.Match(l, @"^\| (OFA\d{4}) \|")).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(ids, rows.Order());
        var mentioned = readme.SelectMany(l => Regex.Matches(l, @"OFA\d{4}").Select(m => m.Value)).Distinct();
        Assert.Empty(mentioned.Except(ids));
    }
}
