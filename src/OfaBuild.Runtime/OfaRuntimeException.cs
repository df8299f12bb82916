namespace OfaBuild.Runtime;

/// <summary>
/// A problem the app's user can fix (wrong target name, wrong input length, nothing embedded).
/// The message names the model class, the target and the fix.
/// </summary>
public sealed class OfaRuntimeException : Exception
{
    public OfaRuntimeException(string message) : base(message) { }
    public OfaRuntimeException(string message, Exception inner) : base(message, inner) { }
}
