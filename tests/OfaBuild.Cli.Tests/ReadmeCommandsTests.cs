using System.CommandLine;
using System.Text.RegularExpressions;
using OfaBuild.Cli.Commands;
using OfaBuild.Imaging;
using OfaBuild.Tool.Commands;

namespace OfaBuild.Cli.Tests;

/// <summary>
/// The docs' `ofa` command lines against the full tool's own command tree (the one its Program runs): a command or
/// option renamed or removed in the code, or written wrong in the README, fails here instead of in a user's shell.
/// </summary>
public sealed partial class ReadmeCommandsTests
{
    private static readonly RootCommand Tool = CommandList.Root(TrainingCommands.Tool(new SkiaImageDecoder()));

    /// <summary>
    /// Each `ofa ...` README.md, docs/ARCHITECTURE.md and samples/models/README.md (the default supernet's recipe) give: a
    /// code span of the prose (UserDocs.CodeSpans), or a line of a shell block, with the lines a trailing backslash
    /// continues (without its comment, which may speak of another command). Other code blocks (C#, JSON, output,
    /// diagrams) are not command lines.
    /// </summary>
    private static IEnumerable<string> ReadmeCommandLines()
    {
        string[] docs = [.. UserDocs.Files, Fixtures.RepoFile("samples", "models", "README.md")];
        return docs.SelectMany(UserDocs.CodeSpans).Where(s => s.StartsWith("ofa ", StringComparison.Ordinal)).Concat(docs.SelectMany(ShellCommandLines));
    }

    private static IEnumerable<string> ShellCommandLines(string doc)
    {
        string? block = null;
        foreach (var line in JoinContinuations(File.ReadLines(doc)))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
                block = block is null ? line[3..] : null;
            else if (block == "sh" && line.StartsWith("ofa ", StringComparison.Ordinal))
                yield return ShellComment().Replace(line, "");
        }
    }

    [Fact]
    public void Every_command_and_option_the_readme_gives_ofa_is_one_the_tool_has()
    {
        var lines = ReadmeCommandLines().ToList();
        Assert.True(lines.Count > 50, $"only {lines.Count} `ofa` command lines found in the docs: is the extraction still right?");
        var wrong = new List<string>();
        foreach (var line in lines)
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var path = new List<Command> { Tool };
            int i = 1;
            while (i < words.Length && path[^1].Subcommands.FirstOrDefault(c => c.Name == words[i]) is { } sub)
            {
                path.Add(sub);
                i++;
            }
            var command = path[^1];
            // A word right after the command path is an argument (`ofa import ref.pt`) or the README's elision (`ofa search ... --json`).
            if (i < words.Length && !words[i].StartsWith('-') && words[i] != "..." && command.Arguments.Count == 0)
            {
                wrong.Add($"`{line}`: {Name(path)} has no command or argument '{words[i]}'");
                continue;
            }
            // Options reach a command from itself, and from its ancestors when they are recursive (--help).
            var known = path.SelectMany(c => c.Options.Where(o => c == command || o.Recursive))
                .SelectMany(o => o.Aliases.Prepend(o.Name)).ToHashSet(StringComparer.Ordinal);
            foreach (Match m in OptionWord().Matches(string.Join(' ', words.Skip(i))))
                if (!known.Contains(m.Value))
                    wrong.Add($"`{line}`: {Name(path)} has no option {m.Value}");
        }
        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    /// <summary>A line ending in a backslash joined with the next, as the shell reads it.</summary>
    private static IEnumerable<string> JoinContinuations(IEnumerable<string> lines)
    {
        string? pending = null;
        foreach (var line in lines)
        {
            string joined = pending is null ? line : pending + " " + line.TrimStart();
            if (joined.EndsWith('\\')) { pending = joined[..^1]; continue; }
            pending = null;
            yield return joined;
        }
        if (pending is not null) yield return pending;
    }

    private static string Name(List<Command> path) => "`ofa" + string.Concat(path.Skip(1).Select(c => " " + c.Name)) + "`";

    [GeneratedRegex(@"\s+#.*$")]
    private static partial Regex ShellComment();

    /// <summary>--long or -x, not the dash inside a word (mbv3-w1.0, cortex-a53, 96-160).</summary>
    [GeneratedRegex(@"(?<![\w-])--?[A-Za-z][\w-]*")]
    private static partial Regex OptionWord();
}
