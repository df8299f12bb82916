using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace OfaBuild.Generator.Parsing;

/// <summary>
/// Whether a wrapper can be added to an [OfaModel] class: it and every type around it are declared partial (else
/// OFA0003). Shared as source with the build task, which does not specialise a class the build will refuse.
/// </summary>
internal static class PartialRule
{
    /// <summary>
    /// Syntax alone decides: C# requires every declaration of a partial type to say so (CS0260), so the declarations
    /// around this one answer for all of them.
    /// </summary>
    public static bool IsPartial(TypeDeclarationSyntax type) =>
        type.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().All(t => t.Modifiers.Any(SyntaxKind.PartialKeyword));
}
