namespace OfaBuild.Cli.Commands;

/// <summary>Runs a command body: user errors (<see cref="OfaException"/>) print one line, never a stack trace.</summary>
internal static class CliRunner
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
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("error: cancelled.");
            return 130;
        }
    }

    /// <summary>The full path of a file that must exist, or a user error naming it.</summary>
    public static string ExistingFile(FileInfo file) =>
        file.Exists ? file.FullName : throw new OfaException($"File '{file.FullName}' does not exist.");
}
