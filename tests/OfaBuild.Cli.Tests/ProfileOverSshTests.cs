using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace OfaBuild.Cli.Tests;

/// <summary>
/// `ofa profile --ssh` against an sshd this test starts on 127.0.0.1 (a throwaway host key and user key in a
/// temporary folder, a free high port), with this machine's runtime identifier. The tool gets the port, key
/// and known-hosts file from an ssh configuration file the test writes (`--ssh-config`, passed to ssh/scp as -F).
/// </summary>
public class ProfileOverSshTests
{
    /// <summary>A device name the remote shell would split, expand and unbalance if the tool quoted it wrongly.</summary>
    private const string Device = "loopback board's $HOME `id` ; *";

    [Fact]
    public void Profile_over_ssh_publishes_copies_runs_and_brings_back_a_measured_table()
    {
        using var dir = new TempDir();
        using var sshd = TestSshd.Start(dir);
        string config = dir["ssh_config"];
        File.WriteAllText(config, $"""
            Host ofa-board
              HostName 127.0.0.1
              Port {sshd.Port}
              User {Environment.UserName}
              IdentityFile {sshd.UserKey}
              IdentitiesOnly yes
              UserKnownHostsFile {dir["known_hosts"]}
              StrictHostKeyChecking no
              LogLevel ERROR
            """);
        string output = Path.Combine(dir.Path, "profiles", "board.json"); // a folder that does not exist yet

        // The first run publishes into artifacts/profiler/linux-x64 (incremental afterwards).
        var run = ProcessRunner.Run("dotnet", [Ofa.ToolPath, "profile", "--ssh", "ofa-board", "--ssh-config", config, "--rid", "linux-x64",
            "--space", "mbv3-fmnist", "--device", Device, "--threads", "1", "--repetitions", "3", "--warmup", "1", "-o", output],
            timeout: TimeSpan.FromMinutes(8));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"published \d+\.\d MB", run.Stderr);
        Assert.Matches(@"ofa-board: timing the layer shapes, rounds \d+/\d+", run.Stderr); // the board's progress, relayed
        Assert.Contains("entries measured on ofa-board", run.Stdout);
        using var table = JsonDocument.Parse(File.ReadAllText(output));
        var root = table.RootElement;
        var info = root.GetProperty("info");
        Assert.Equal(Device, root.GetProperty("device").GetString()); // verbatim through the remote shell
        Assert.Equal("measured", root.GetProperty("kind").GetString());
        Assert.True(root.GetProperty("entries").EnumerateObject().Count() > 100);
        Assert.Contains("logical CPUs", info.GetProperty("cpu").GetString());   // CPU facts of the board
        Assert.Equal("1", info.GetProperty("threads").GetString());
        Assert.Contains("median of 3 timed runs", info.GetProperty("protocol").GetString());
        Assert.Equal("linux-x64", info.GetProperty("runtime_identifier").GetString()); // the board's, as --rid named it
        // The board's temporary folder is removed.
        string remoteDir = System.Text.RegularExpressions.Regex.Match(run.Stderr, @"copied to ofa-board:(\S+) in").Groups[1].Value;
        Assert.StartsWith("/", remoteDir);
        Assert.False(Directory.Exists(remoteDir), remoteDir);

        // --model: the package goes to the board too, and the board profiles its space (3 input channels, 24-32 px),
        // which no --space gives. The publish is incremental now; the protocol is the quickest.
        string model = ProfileForAPackageTests.WritePackage(dir, "my photos.ofa"); // a name scp and the remote shell must not split
        string ownOutput = dir["photos-board.json"];
        var own = ProcessRunner.Run("dotnet", [Ofa.ToolPath, "profile", "--ssh", "ofa-board", "--ssh-config", config, "--rid", "linux-x64",
            "--model", model, "-o", ownOutput, .. ProfileForAPackageTests.Quick], timeout: TimeSpan.FromMinutes(8));
        Assert.True(own.ExitCode == 0, own.ToString());
        Assert.Contains("ofa-board: profiling", own.Stderr);
        Assert.Contains("of the space of model.ofa (mbv3-fmnist, 3 input channel(s), 3 classes, resolutions 24, 28, 32)", own.Stderr);
        var ownTable = Core.Latency.LatencyTableFile.Load(ownOutput);
        Assert.Equal([24, 28, 32], ownTable.CoveredResolutions(ProfileForAPackageTests.Photos));
        Assert.Equal(Core.Latency.NetworkShapes.All(ProfileForAPackageTests.Photos).Select(l => l.Key).Order(), ownTable.Entries.Keys.Order());
        Assert.Equal("photos-board", ownTable.Device);
        Assert.Equal("linux-x64", ownTable.Info["runtime_identifier"]);
        string ownDir = System.Text.RegularExpressions.Regex.Match(own.Stderr, @"copied to ofa-board:(\S+) in").Groups[1].Value;
        Assert.False(Directory.Exists(ownDir), ownDir);
    }

    [Fact]
    public void An_unreachable_board_fails_before_publishing_and_names_the_check()
    {
        using var dir = new TempDir();
        string config = dir["ssh_config"];
        File.WriteAllText(config, $"Host nowhere\n  HostName 127.0.0.1\n  Port {TestSshd.FreePort()}\n  ConnectTimeout 5\n");
        var run = ProcessRunner.Run("dotnet", [Ofa.ToolPath, "profile", "--ssh", "nowhere", "--ssh-config", config, "-o", dir["board.json"]], timeout: TimeSpan.FromMinutes(1));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("`ssh` to nowhere failed (exit 255)", run.Stderr);
        Assert.Contains("Check that `ssh nowhere true` logs in", run.Stderr);
        Assert.DoesNotContain("publishing", run.Stderr);
    }

    [Fact]
    public void A_destination_that_ssh_would_read_as_an_option_is_refused()
    {
        using var dir = new TempDir();
        var run = Ofa.Refuses("profile", "--ssh", "-oProxyCommand=touch " + dir["pwned"], "-o", dir["board.json"]);
        Assert.Contains("is not an ssh destination", run.Stderr);
        Assert.False(File.Exists(dir["pwned"]));
    }

    [Fact]
    public void The_command_to_run_on_the_board_by_hand_records_the_device_asked_for()
    {
        var space = Core.Space.Presets.Get(Core.Space.Presets.FashionMnist);
        // --device other than the file's stem: without --device the board's run would record "board".
        Assert.Equal("ofa profile -o board.json --space mbv3-fmnist --precision int8 --device 'my pi'",
            Remote.RemoteProfile.OnBoard(new(space, null, "my pi", 1, 3, 1, "int8"), "/out/board.json"));
        Assert.Equal("ofa profile -o board.json --model 'my photos.ofa' --device pi (with the package copied there)",
            Remote.RemoteProfile.OnBoard(new(space, "/pkgs/my photos.ofa", "pi", 1, 3, 1), "/out/board.json"));
        // The stem is the device: nothing to add.
        Assert.Equal("ofa profile -o pi.json --space mbv3-fmnist", Remote.RemoteProfile.OnBoard(new(space, null, "pi", 1, 3, 1), "/out/pi.json"));
    }
}

/// <summary>An sshd on 127.0.0.1 only, for one test: keys and configuration in the test's folder; killed on dispose.</summary>
internal sealed class TestSshd : IDisposable
{
    private readonly Process _process;
    public int Port { get; }
    public string UserKey { get; }

    private TestSshd(Process process, int port, string userKey) => (_process, Port, UserKey) = (process, port, userKey);

    public static TestSshd Start(TempDir dir)
    {
        Assert.True(File.Exists("/usr/sbin/sshd"), "sshd is missing: run build/install-deps.sh (Debian package openssh-server).");
        foreach (var key in new[] { "host_key", "user_key" })
        {
            var keygen = ProcessRunner.Run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", dir[key]], timeout: TimeSpan.FromSeconds(30));
            Assert.True(keygen.ExitCode == 0, keygen.ToString());
        }
        File.Copy(dir["user_key.pub"], dir["authorized_keys"]);
        // sshd as root insists on its privilege-separation folder, which only the service's start-up creates.
        if (Environment.UserName == "root") Directory.CreateDirectory("/run/sshd");
        int port = FreePort();
        File.WriteAllText(dir["sshd_config"], $"""
            ListenAddress 127.0.0.1
            Port {port}
            HostKey {dir["host_key"]}
            PidFile {dir["sshd.pid"]}
            AuthorizedKeysFile {dir["authorized_keys"]}
            StrictModes no
            UsePAM no
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PubkeyAuthentication yes
            PermitRootLogin prohibit-password
            Subsystem sftp /usr/lib/openssh/sftp-server
            """);
        var psi = new ProcessStartInfo("/usr/sbin/sshd") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-D", "-e", "-f", dir["sshd_config"] }) psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var sshd = new TestSshd(process, port, dir["user_key"]);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return sshd;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                Thread.Sleep(200);
            }
            catch
            {
                sshd.Dispose();
                throw;
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
        _process.Dispose();
    }
}
