namespace OfaBuild.Core;

/// <summary>
/// The one exception type for user-facing failures (bad files, bad configs, bad arguments).
/// Its message names the file or object, what is wrong and, where there is one, the fix;
/// the CLI prints it without a stack trace.
/// </summary>
public class OfaException : Exception
{
    public OfaException(string message) : base(message) { }
    public OfaException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A file that cannot be read as what it claims to be (truncated, damaged, wrong shapes).</summary>
public sealed class OfaFormatException : OfaException
{
    public OfaFormatException(string message) : base(message) { }
    public OfaFormatException(string message, Exception inner) : base(message, inner) { }
}
