using System.Text.RegularExpressions;

namespace OfaBuild.TestSupport;

/// <summary>The docs a user reads, README.md and docs/ARCHITECTURE.md, as the tests that hold them to the code read them.</summary>
public static partial class UserDocs
{
    public static IReadOnlyList<string> Files { get; } = [Fixtures.RepoFile("README.md"), Fixtures.RepoFile("docs", "ARCHITECTURE.md")];

    /// <summary>
    /// The code spans of a Markdown file's prose, paired as Markdown pairs backticks: within a paragraph (its lines up to
    /// a blank one), so a span may go on over a line break, read as a space. Fenced code blocks are not prose: a
    /// fence's backticks would pair with the prose's. Read line by line, a span broken over two lines shifted every
    /// pair after it on the second line.
    /// </summary>
    public static IEnumerable<string> CodeSpans(string file)
    {
        var paragraph = new List<string>();
        bool fenced = false;
        foreach (var line in File.ReadLines(file).Append(""))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
                fenced = !fenced;
            else if (!fenced && line.Trim().Length > 0)
            {
                paragraph.Add(line.Trim());
                continue;
            }
            foreach (Match m in CodeSpan().Matches(string.Join(' ', paragraph))) yield return m.Groups[1].Value;
            paragraph.Clear();
        }
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();
}
