using Spectre.Console;

namespace OfaBuild.Cli.Commands;

/// <summary>
/// Progress of long work: a Spectre.Console bar on a terminal, a plain line every 10% when output is
/// redirected (build logs, CI), so logs stay readable.
/// </summary>
internal static class ProgressBar
{
    public static T Run<T>(string title, Func<IProgress<(int Done, int Total)>, T> work)
    {
        if (Console.IsOutputRedirected || Console.IsErrorRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            int lastDecile = -1;
            return work(new SyncProgress(p =>
            {
                int decile = p.Total == 0 ? 10 : p.Done * 10 / p.Total;
                if (decile == lastDecile) return;
                lastDecile = decile;
                Console.Error.WriteLine($"{title}: {p.Done}/{p.Total}");
            }));
        }
        T result = default!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(title);
                result = work(new SyncProgress(p =>
                {
                    task.MaxValue = Math.Max(1, p.Total);
                    task.Value = p.Done;
                }));
            });
        return result;
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SyncProgress(Action<(int Done, int Total)> report) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => report(value);
    }
}
