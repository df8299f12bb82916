using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace OfaBuild.Generator.Model;

/// <summary>
/// Where something is in a file, as plain values: a Location holds the syntax tree, which would keep
/// the whole compilation alive in the cache and make every model unequal across runs.
/// </summary>
internal readonly record struct SourceSpan(string Path, int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    public static SourceSpan From(Location location)
    {
        var line = location.GetLineSpan();
        return new SourceSpan(line.Path ?? "", location.SourceSpan.Start, location.SourceSpan.Length,
            line.StartLinePosition.Line, line.StartLinePosition.Character, line.EndLinePosition.Line, line.EndLinePosition.Character);
    }

    public static SourceSpan File(string path) => new(path, 0, 0, 0, 0, 0, 0);

    public Location ToLocation() => Location.Create(Path, new TextSpan(Start, Length),
        new LinePositionSpan(new LinePosition(StartLine, StartColumn), new LinePosition(EndLine, EndColumn)));
}
