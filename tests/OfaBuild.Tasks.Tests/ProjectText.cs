namespace OfaBuild.Tasks.Tests;

/// <summary>A project file's text with one ItemGroup of the given elements, one a line: element i (0-based) is at line 3 + i, column 5.</summary>
internal static class ProjectText
{
    public static string Items(params string[] elements) =>
        "<Project>\n  <ItemGroup>\n" + string.Concat(elements.Select(e => "    " + e + "\n")) + "  </ItemGroup>\n</Project>\n";
}
