using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;

namespace OfaBuild.Generator.Emit;

/// <summary>C# literals for values from manifests (which are outside the compiler's control: escape everything).</summary>
internal static class CSharpLiteral
{
    /// <summary>A C# string literal: the manifest contract's JSON quoting, whose escapes are all C# escapes too.</summary>
    public static string String(string s) => OfaBuild.Contracts.Json.JsonText.Quote(s);

    public static string Double(double d) =>
        double.IsNaN(d) ? "double.NaN"
        : double.IsPositiveInfinity(d) ? "double.PositiveInfinity"
        : double.IsNegativeInfinity(d) ? "double.NegativeInfinity"
        : d.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A name as C# code refers to it: a keyword gets its @ (class @class).</summary>
    public static string Identifier(string name) => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    /// <summary>"Demo.class" -> "Demo.@class".</summary>
    public static string QualifiedName(string dotted) => string.Join(".", dotted.Split('.').Select(Identifier));

    public static string NullableDouble(double? d) => d is double v ? Double(v) : "null";

    public static string Long(long v) => v.ToString(CultureInfo.InvariantCulture) + "L";

    /// <summary>
    /// A manifest precision ("fp32", "int8") as the runtime's enum member of that name ("Fp32", "Int8"): a precision the
    /// runtime lacks fails to compile rather than passing for fp32.
    /// </summary>
    public static string Precision(string p) =>
        "global::OfaBuild.OfaPrecision." + char.ToUpperInvariant(p[0]) + p.Substring(1);

    public static string Int(int v) => v.ToString(CultureInfo.InvariantCulture);

    public static string Strings(IEnumerable<string> items) => Array("string", items.Select(String).ToList());

    public static string Doubles(IEnumerable<double> items) => Array("double", items.Select(Double).ToList());

    private static string Array(string type, List<string> items) =>
        items.Count == 0 ? $"global::System.Array.Empty<{type}>()" : $"new {type}[] {{ {string.Join(", ", items)} }}";
}
