using System.Diagnostics;
using System.Text.RegularExpressions;

namespace OfaBuild.Cli.Remote;

/// <summary>
/// The system's `ssh` and `scp` towards one destination, so the user's keys, agent and ~/.ssh/config apply.
/// Destination and local paths reach them as separate arguments (<see cref="ProcessStartInfo.ArgumentList"/>),
/// never through a local shell. The one string a shell reads is the remote command line, and
/// <see cref="Command"/> builds it with every word single-quoted.
/// </summary>
internal sealed partial class Ssh
{
    private readonly string _destination;
    private readonly string[] _options;

    /// <param name="destination">`user@host` or a Host alias of the ssh configuration.</param>
    /// <param name="configFile">An ssh configuration file used instead of ~/.ssh/config (`-F`), or null.</param>
    public Ssh(string destination, string? configFile)
    {
        // A leading '-' would make ssh read the destination as an option; ':' and spaces would split it for scp.
        if (!DestinationPattern().IsMatch(destination))
            throw new OfaException($"--ssh '{destination}' is not an ssh destination: use user@host or a Host alias of ~/.ssh/config (letters, digits, '.', '-', '_', '@'; not starting with '-').");
        _destination = destination;
        // BatchMode: a missing key fails at once instead of waiting for a password nobody types.
        // ServerAlive*: a board that disappears ends the session within a minute.
        _options = [.. configFile is null ? [] : new[] { "-F", configFile },
            "-o", "BatchMode=yes", "-o", "ConnectTimeout=20", "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=4"];
    }

    public string Destination => _destination;

    /// <summary>Runs <paramref name="words"/> on the board; each output line goes to <paramref name="onLine"/> as it arrives.</summary>
    public string Run(IEnumerable<string> words, TimeSpan timeout, CancellationToken cancel, Action<string>? onLine = null) =>
        Exec("ssh", [.. _options, "--", _destination, Command(words)], timeout, cancel, onLine);

    /// <summary>Copies a local folder into <paramref name="remoteDir"/> (compressed, modes kept).</summary>
    public void Upload(string localDir, string remoteDir, TimeSpan timeout, CancellationToken cancel) =>
        Exec("scp", [.. _options, "-q", "-C", "-r", "-p", "--", Path.GetFullPath(localDir), $"{_destination}:{RemotePath(remoteDir)}/"], timeout, cancel);

    /// <summary>Copies a local file to <paramref name="remoteFile"/> (compressed, modes kept).</summary>
    public void UploadFile(string localFile, string remoteFile, TimeSpan timeout, CancellationToken cancel) =>
        Exec("scp", [.. _options, "-q", "-C", "-p", "--", Path.GetFullPath(localFile), $"{_destination}:{RemotePath(remoteFile)}"], timeout, cancel);

    /// <summary>Copies a remote file to <paramref name="localFile"/> (a full path, so scp never reads it as host:path).</summary>
    public void Download(string remoteFile, string localFile, TimeSpan timeout, CancellationToken cancel) =>
        Exec("scp", [.. _options, "-q", "--", $"{_destination}:{RemotePath(remoteFile)}", Path.GetFullPath(localFile)], timeout, cancel);

    /// <summary>
    /// The remote command line: each word in single quotes, a quote inside a word as '\'' (POSIX sh), so the
    /// remote shell passes every word through verbatim (no expansion, globbing or splitting).
    /// </summary>
    public static string Command(IEnumerable<string> words) =>
        string.Join(' ', words.Select(w => "'" + w.Replace("'", "'\\''") + "'"));

    /// <summary>A remote path scp can take unquoted: the temporary folder's, checked rather than escaped.</summary>
    public static string RemotePath(string path) =>
        RemotePathPattern().IsMatch(path) ? path : throw new OfaException($"The board returned the folder '{path}', which is not a plain absolute path; set TMPDIR on the board to one.");

    private string Exec(string program, string[] args, TimeSpan timeout, CancellationToken cancel, Action<string>? onLine = null)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new OfaException($"`{program}` could not be started ({ex.Message}): install the OpenSSH client (Debian: apt-get install openssh-client).");
        }
        using (p)
        {
            p.StandardInput.Close();
            var stdout = new System.Text.StringBuilder();
            var stderr = new System.Text.StringBuilder();
            p.OutputDataReceived += (_, e) => { if (e.Data is null) return; lock (stdout) stdout.AppendLine(e.Data); onLine?.Invoke(e.Data); };
            p.ErrorDataReceived += (_, e) => { if (e.Data is null) return; lock (stderr) stderr.AppendLine(e.Data); onLine?.Invoke(e.Data); };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            using (cancel.Register(() => { try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } }))
            {
                if (!p.WaitForExit(timeout))
                {
                    p.Kill(entireProcessTree: true);
                    throw new OfaException($"`{program}` to {_destination} did not finish within {timeout.TotalSeconds:F0} s; check the board is reachable (`ssh {_destination} true`).");
                }
                p.WaitForExit(); // drains the output events
            }
            cancel.ThrowIfCancellationRequested();
            if (p.ExitCode != 0)
            {
                string detail = stderr.ToString().Trim();
                throw new OfaException($"`{program}` to {_destination} failed (exit {p.ExitCode}){(detail.Length > 0 ? ": " + detail.ReplaceLineEndings(" ") : "")}. "
                    + (p.ExitCode == 255 ? $"Check that `ssh {_destination} true` logs in without a password (keys or agent; the tool runs ssh with BatchMode=yes)." : ""));
            }
            return stdout.ToString();
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9._@-]*$")]
    private static partial Regex DestinationPattern();

    [GeneratedRegex(@"^/[A-Za-z0-9._/-]+$")]
    private static partial Regex RemotePathPattern();
}
