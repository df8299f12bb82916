using System.Runtime.ExceptionServices;

namespace OfaBuild.Core;

/// <summary>Parallel loops whose errors read as a sequential loop's.</summary>
public static class OfaParallel
{
    /// <summary>
    /// <see cref="Parallel.For(int, int, Action{int})"/>, stopped at the first error, which is thrown as it is (an
    /// <see cref="OfaException"/>'s one line naming the file), not wrapped in an AggregateException; of several, the
    /// lowest index's.
    /// </summary>
    public static void For(int count, Action<int> body)
    {
        var errors = new Exception?[count];
        Parallel.For(0, count, (i, loop) =>
        {
            try { body(i); }
            catch (Exception e)
            {
                errors[i] = e;
                loop.Stop();
            }
        });
        if (Array.Find(errors, e => e is not null) is { } first) ExceptionDispatchInfo.Throw(first);
    }
}
