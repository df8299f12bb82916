using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OfaBuild.Contracts;
using OfaBuild.Generator.Emit;
using OfaBuild.Generator.Model;

namespace OfaBuild.Generator.Parsing;

/// <summary>Turns an [OfaModel] class into a <see cref="ModelSpec"/>; nothing of the compilation survives this step.</summary>
internal static class SpecReader
{
    public static readonly string ModelAttribute = OfaAttributeNames.MetadataName(OfaAttributeNames.Model);
    private static readonly string TargetAttribute = OfaAttributeNames.MetadataName(OfaAttributeNames.Target);

    public static bool IsCandidate(SyntaxNode node, CancellationToken _) => node is ClassDeclarationSyntax;

    public static ModelSpec? Read(GeneratorAttributeSyntaxContext context, CancellationToken ct)
    {
        if (!(context.TargetSymbol is INamedTypeSymbol type) || !(context.TargetNode is ClassDeclarationSyntax node)) return null;
        var model = context.Attributes[0];
        string path = model.ConstructorArguments.Length == 1 && model.ConstructorArguments[0].Value is string p ? p : "";

        var containers = new List<string>();
        bool partial = PartialRule.IsPartial(node);
        for (var outer = type.ContainingType; outer != null; outer = outer.ContainingType)
        {
            containers.Insert(0, $"{AccessibilityText(outer.DeclaredAccessibility)} {(outer.IsStatic ? "static " : "")}partial {Keyword(outer)} {CSharpLiteral.Identifier(outer.Name)}".TrimStart());
        }

        var ns = type.ContainingNamespace.IsGlobalNamespace ? "" : type.ContainingNamespace.ToDisplayString();
        // Plain names (no @) joined by dots: the name the build task files the class's manifests and resources under.
        var names = new List<string>();
        for (ISymbol s = type; !(s is INamespaceSymbol { IsGlobalNamespace: true }); s = s.ContainingSymbol) names.Insert(0, s.Name);
        var fullName = string.Join(".", names);

        var targets = type.GetAttributes()
            .Where(a => a.AttributeClass?.ToDisplayString() == TargetAttribute)
            .Select(a => a.ConstructorArguments.Length == 1 && a.ConstructorArguments[0].Value is string d ? d : "")
            .ToEquatableArray();

        return new ModelSpec(
            ns, type.Name, fullName, AccessibilityText(type.DeclaredAccessibility), containers.ToEquatableArray(), partial, path,
            SourceSpan.From(node.Identifier.GetLocation()), targets);
    }

    private static string Keyword(INamedTypeSymbol t) => t.TypeKind switch
    {
        TypeKind.Struct => t.IsRecord ? "record struct" : "struct",
        TypeKind.Interface => "interface",
        _ => t.IsRecord ? "record" : "class",
    };

    private static string AccessibilityText(Accessibility a) => a switch
    {
        Accessibility.Public => "public",
        Accessibility.Internal => "internal",
        Accessibility.Private => "private",
        Accessibility.Protected => "protected",
        Accessibility.ProtectedOrInternal => "protected internal",
        Accessibility.ProtectedAndInternal => "private protected",
        _ => "",
    };
}
