using Microsoft.CodeAnalysis;
using OfaBuild.Generator.Model;

namespace OfaBuild.Generator.Diagnostics;

/// <summary>A diagnostic as plain values, so the diagnostics pipeline caches like the others.</summary>
internal sealed record DiagnosticInfo(string Id, SourceSpan Location, EquatableArray<string> Args)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, SourceSpan location, params string[] args) =>
        new(descriptor.Id, location, args.ToEquatableArray());

    public Diagnostic ToDiagnostic()
    {
        var args = new object[Args.Count];
        for (int i = 0; i < args.Length; i++) args[i] = Args[i];
        return Diagnostic.Create(Descriptors.ById(Id), Location.ToLocation(), args);
    }
}
