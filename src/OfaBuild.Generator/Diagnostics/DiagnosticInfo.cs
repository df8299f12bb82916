using Microsoft.CodeAnalysis;
using OfaBuild.Generator.Model;

namespace OfaBuild.Generator.Diagnostics
{
    /// <summary>A diagnostic as plain values, so the diagnostics pipeline caches like the others.</summary>
    internal sealed record DiagnosticInfo(string Id, SourceSpan Location, DiagnosticSeverity? Severity, EquatableArray<string> Args)
    {
        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, SourceSpan location, params string[] args) =>
            new(descriptor.Id, location, null, args.ToEquatableArray());

        public Diagnostic ToDiagnostic()
        {
            var descriptor = Descriptors.ById(Id);
            var args = new object[Args.Count];
            for (int i = 0; i < args.Length; i++) args[i] = Args[i];
            return Diagnostic.Create(descriptor, Location.ToLocation(), Severity ?? descriptor.DefaultSeverity,
                additionalLocations: null, properties: null, messageArgs: args);
        }
    }
}
