using System.Text.RegularExpressions;

namespace OfaBuild.Cli.Commands;

/// <summary>Runs a command body: user errors (<see cref="OfaException"/>) print one line, never a stack trace.</summary>
internal static partial class CliRunner
{
    public const int UserError = 1;

    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (OfaException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return UserError;
        }
        catch (OperationCanceledException ex)
        {
            Console.Error.WriteLine(ex is CancelledException { Hint: { } hint } ? $"error: cancelled; {hint}" : "error: cancelled.");
            return Cancelled;
        }
    }

    /// <summary>A warning the command goes on after, on stderr as an error's line is (so --json output stays one object).</summary>
    public static void Warn(string message) => Console.Error.WriteLine(Marked(message));

    /// <summary>A warning another program printed (MSBuild's, evaluating `ofa report --project`'s project), on stderr as one warning (<see cref="PassedOn"/>).</summary>
    public static void PassOn(string line) => Console.Error.WriteLine(PassedOn(line));

    /// <summary>
    /// A line in MSBuild's diagnostic form (`App.csproj(3,3): warning MSB4011: ...`, the form `ofa specialize` prints its own
    /// coded warnings in) already says warning, names its file and its code, and stays as it is, so it reads as one warning
    /// and editors still find its file; any other line is marked as the tool's own warnings are.
    /// </summary>
    internal static string PassedOn(string line) => CodedWarning().IsMatch(line) ? line : Marked(line);

    private static string Marked(string message) => $"warning: {message}";

    // "ORIGIN: warning CODE: text", the code optional: MSBuild's canonical form, also spaced "MSBUILD : warning MSB1234: text".
    [GeneratedRegex(@"^\S.*?:\s*warning(\s+[A-Za-z]+[0-9]+)?\s*:")]
    private static partial Regex CodedWarning();

    /// <summary>The exit code of a command stopped by Ctrl-C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;

    /// <summary>The full path of a file that must exist, or a user error naming it.</summary>
    public static string ExistingFile(FileInfo file) =>
        file.Exists ? file.FullName : throw new OfaException($"File '{file.FullName}' does not exist.");
}

/// <summary>Ctrl-C, with what the command can say about going on (e.g. "the checkpoint ... is written; continue with ... --resume").</summary>
internal sealed class CancelledException(string hint, Exception inner) : OperationCanceledException(hint, inner)
{
    public string Hint { get; } = hint;
}
