using Microsoft.Build.Framework;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OfaBuild.Contracts;
using OfaBuild.Generator.Parsing;

namespace OfaBuild.Tasks;

/// <summary>
/// Finds [OfaModel]/[OfaTarget] classes with Roslyn's syntax API only (no compilation, no symbols):
/// attribute arguments must be literals, which is what the build can act on before compiling.
/// </summary>
internal static class SpecDiscovery
{
    /// <summary>The files of the @(Compile) items to look in: the C# files on disk (full paths), in the items' order.</summary>
    public static IEnumerable<string> SourceFiles(IEnumerable<ITaskItem> compile) =>
        compile.Select(s => s.GetMetadata("FullPath")).Where(p => p.EndsWith(".cs", StringComparison.OrdinalIgnoreCase) && File.Exists(p));

    public static IReadOnlyList<OfaClassSpec> FromFile(string path, string text)
    {
        // Cheap pre-filter: most files never mention the attribute.
        if (!text.Contains(OfaAttributeNames.Model, StringComparison.Ordinal)) return [];
        var root = CSharpSyntaxTree.ParseText(text, path: path).GetRoot();
        var specs = new List<OfaClassSpec>();
        foreach (var type in root.DescendantNodes().OfType<ClassDeclarationSyntax>())
        {
            AttributeSyntax? model = null;
            var targets = new List<OfaTargetSpec>();
            foreach (var attr in type.AttributeLists.SelectMany(l => l.Attributes))
            {
                switch (SimpleName(attr.Name))
                {
                    case OfaAttributeNames.Model: model = attr; break;
                    case OfaAttributeNames.Target: targets.Add(Target(attr, path)); break;
                }
            }
            if (model is null) continue;
            specs.Add(new OfaClassSpec(FullName(type), StringArgument(model), LocationOf(model, path), targets) { IsPartial = PartialRule.IsPartial(type) });
        }
        return specs;
    }

    private static OfaTargetSpec Target(AttributeSyntax attr, string path)
    {
        double? latency = null, mflops = null, levels = null;
        string? profile = null, precision = null, adaptive = null;
        (string, string)? unread = null;
        string? unknown = null;
        double? Read(string name, ExpressionSyntax e)
        {
            var n = Number(e);
            if (n is null) unread ??= (name, $"{name} = {e}");
            return n;
        }
        foreach (var arg in attr.ArgumentList?.Arguments ?? default)
        {
            var name = arg.NameEquals?.Name.Identifier.ValueText;
            switch (name)
            {
                case OfaAttributeNames.LatencyMs: latency = Read(name, arg.Expression); break;
                case OfaAttributeNames.MaxMFlops: mflops = Read(name, arg.Expression); break;
                case OfaAttributeNames.Profile: profile = (arg.Expression as LiteralExpressionSyntax)?.Token.Value as string; break;
                case OfaAttributeNames.Precision: precision = EnumMember(arg.Expression); break;
                case OfaAttributeNames.Adaptive: adaptive = arg.Expression.ToString(); break;
                case OfaAttributeNames.Levels: levels = Read(name, arg.Expression); break;
                case not null: unknown ??= name; break;
            }
        }
        return new OfaTargetSpec(StringArgument(attr) ?? "", latency, profile, mflops, LocationOf(attr, path), adaptive, levels) { Precision = precision, UnreadNumber = unread, UnknownArgument = unknown };
    }

    private static string? StringArgument(AttributeSyntax attr) =>
        attr.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals is null && a.NameColon is null)?.Expression is LiteralExpressionSyntax lit
            ? lit.Token.Value as string
            : null;

    private static double? Number(ExpressionSyntax e) => e switch
    {
        LiteralExpressionSyntax lit when lit.Token.Value is IConvertible c and not string => c.ToDouble(System.Globalization.CultureInfo.InvariantCulture),
        PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression } neg => -Number(neg.Operand),
        _ => null,
    };

    /// <summary>OfaPrecision.Int8 or OfaBuild.OfaPrecision.Int8 -> "Int8"; anything else (a cast, a constant) -> "".</summary>
    private static string EnumMember(ExpressionSyntax e) =>
        e is MemberAccessExpressionSyntax { Expression: var type } m && SimpleTypeName(type) == "OfaPrecision" ? m.Name.Identifier.ValueText : "";

    private static string? SimpleTypeName(ExpressionSyntax e) => e switch
    {
        MemberAccessExpressionSyntax m => m.Name.Identifier.ValueText,
        AliasQualifiedNameSyntax a => a.Name.Identifier.ValueText,
        QualifiedNameSyntax q => q.Right.Identifier.ValueText,
        SimpleNameSyntax s => s.Identifier.ValueText,
        _ => null,
    };

    private static string SimpleName(NameSyntax name)
    {
        var id = name switch
        {
            QualifiedNameSyntax q => q.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax a => a.Name.Identifier.ValueText,
            SimpleNameSyntax s => s.Identifier.ValueText,
            _ => name.ToString(),
        };
        return id.EndsWith("Attribute", StringComparison.Ordinal) ? id[..^"Attribute".Length] : id;
    }

    /// <summary>Namespace.Outer.Inner in plain names (no @, comments or spaces), as the generator names the class.</summary>
    private static string FullName(TypeDeclarationSyntax type)
    {
        var parts = new List<string>();
        for (SyntaxNode? n = type; n is not null; n = n.Parent)
        {
            if (n is TypeDeclarationSyntax t) parts.Add(t.Identifier.ValueText);
            else if (n is BaseNamespaceDeclarationSyntax ns) parts.AddRange(ns.Name.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Select(i => i.Identifier.ValueText).Reverse());
        }
        parts.Reverse();
        return string.Join(".", parts);
    }

    private static Location LocationOf(SyntaxNode node, string path)
    {
        var pos = node.GetLocation().GetLineSpan().StartLinePosition;
        return new Location(path, pos.Line + 1, pos.Character + 1);
    }
}
