using System.Globalization;
using OfaBuild.Core.Devices;
using OfaBuild.Core.Space;

namespace OfaBuild.EndToEnd.Tests;

/// <summary>A user's console app in a temp folder: references the packed OfaBuild, declares targets, prints predictions.</summary>
internal sealed class ConsumerProject
{
    public const string ClassName = "E2E.Net";
    public string Dir { get; private set; }

    public ConsumerProject(PackageFixture package, string name, params (string Device, double LatencyMs)[] targets)
    {
        Dir = Path.Combine(package.Root, name);
        Directory.CreateDirectory(Path.Combine(Dir, "models"));
        File.Copy(package.Supernet, Path.Combine(Dir, "models", "net.ofa"));
        package.WriteAppProject(Dir, "consumer");
        File.WriteAllText(Path.Combine(Dir, "Program.cs"), """
            using System.Globalization;

            var input = new float[1 * 28 * 28];
            for (int i = 0; i < input.Length; i++) input[i] = (float)Math.Sin(i * 0.1);
            Console.WriteLine("targets: " + string.Join(",", E2E.Net.EmbeddedTargets.Select(t => t.Target)));
            foreach (var t in E2E.Net.EmbeddedTargets)
            {
                using var model = E2E.Net.Create(t.Target);
                var p = model.Predict(input.AsSpan(0, model.InputLength));
                Console.WriteLine($"target {t.Target} r {t.Input.Resolution} precision {model.Info.Precision} label {p.Label} scores " +
                    string.Join(" ", p.Scores.Select(s => s.ToString("R", CultureInfo.InvariantCulture))));
            }
            using var auto = E2E.Net.Create();
            Console.WriteLine("chosen " + auto.Info.Target);
            using var two = E2E.Net.Create(auto.Info.Target, new OfaBuild.Runtime.OfaSessionOptions { IntraOpThreads = 2 });
            Console.WriteLine("two threads " + (two.Predict(input.AsSpan(0, two.InputLength)).Label == auto.Predict(input.AsSpan(0, auto.InputLength)).Label ? "same label" : "different label"));
            """);
        WriteSpec(targets);
    }

    public void WriteSpec(params (string Device, double LatencyMs)[] targets)
    {
        var inv = CultureInfo.InvariantCulture;
        var attrs = string.Join("\n", targets.Select(t => $"    [OfaBuild.OfaTarget(\"{t.Device}\", LatencyMs = {t.LatencyMs.ToString("R", inv)})]"));
        File.WriteAllText(Path.Combine(Dir, "Net.cs"),
            "namespace E2E\n{\n    [OfaBuild.OfaModel(\"models/net.ofa\")]\n" + attrs + "\n    public partial class Net;\n}\n");
    }

    /// <summary>Declares a target in the project file instead of an attribute: &lt;OfaTarget Include=... Class=... LatencyMs=... /&gt;.</summary>
    public void AddItem(string device, double latencyMs, string? precision = null, string? profile = null)
    {
        var project = Path.Combine(Dir, "consumer.csproj");
        var extra = (precision is null ? "" : $" Precision=\"{precision}\"") + (profile is null ? "" : $" Profile=\"{profile}\"");
        var item = $"""  <ItemGroup><OfaTarget Include="{device}" Class="{ClassName}" LatencyMs="{latencyMs.ToString("R", CultureInfo.InvariantCulture)}"{extra} /></ItemGroup>""";
        File.WriteAllText(project, File.ReadAllText(project).Replace("</Project>", item + "\n</Project>"));
    }

    /// <summary>Moves the whole project folder, obj/ and bin/ with it, to the sibling <paramref name="name"/> (a renamed folder, a CI cache restored elsewhere).</summary>
    public void Move(string name)
    {
        var to = Path.Combine(Path.GetDirectoryName(Dir)!, name);
        Directory.Move(Dir, to);
        Dir = to;
    }

    public string OfaDir(string configuration = "Debug", string? rid = null) =>
        Path.Combine(Dir, "obj", configuration, "net10.0", rid ?? "", "ofa", ClassName);

    public ProcessResult Build(params string[] extra) => Shell.Dotnet(Dir, ["build", .. extra]);

    public ProcessResult Run() => Shell.Dotnet(Dir, Path.Combine(Dir, "bin", "Debug", "net10.0", "consumer.dll"));

    /// <summary>The usual app: cortex-a53 at half of its latency range, x64-avx2 at 0.8 of its range.</summary>
    public static ConsumerProject WithTwoTargets(PackageFixture package, string name) =>
        new(package, name, ("cortex-a53", Budget("cortex-a53", 0.5)), ("x64-avx2", Budget("x64-avx2", 0.8)));

    /// <summary>`dotnet publish ARGS -o FOLDER` (a folder of the app), which must succeed.</summary>
    public (string Folder, ProcessResult Result) Publish(string folder, params string[] args)
    {
        var dir = Path.Combine(Dir, folder);
        var publish = Shell.Dotnet(Dir, ["publish", .. args, "-o", dir]).Succeeded();
        return (dir, publish);
    }

    /// <summary>Target name -> softmax scores, parsed from the app's output.</summary>
    public static Dictionary<string, float[]> Scores(string output) =>
        output.Split('\n').Where(l => l.StartsWith("target ", StringComparison.Ordinal)).ToDictionary(
            l => l.Split(' ')[1],
            l => l[(l.IndexOf(" scores ", StringComparison.Ordinal) + 8)..].Trim().Split(' ').Select(s => float.Parse(s, CultureInfo.InvariantCulture)).ToArray());

    /// <summary>A budget between the smallest and largest subnet of the e2e space on a device's estimated table.</summary>
    public static double Budget(string device, double fraction)
    {
        var lat = DeviceCatalog.Builtin().LatencyTable(device, TestSpaces.ForBuild).Compile(TestSpaces.ForBuild);
        double min = lat.Predict(SubnetConfig.Smallest(TestSpaces.ForBuild)), max = lat.Predict(SubnetConfig.Largest(TestSpaces.ForBuild));
        return Math.Round(min + (max - min) * fraction, 4);
    }

    /// <summary>The image the app predicts on (its Program.cs fills the same values), at resolution r.</summary>
    public static float[] Input(int r)
    {
        var x = new float[r * r];
        for (int i = 0; i < x.Length; i++) x[i] = (float)Math.Sin(i * 0.1);
        return x;
    }

    public static float[] Softmax(float[] logits)
    {
        double max = logits.Max();
        var e = logits.Select(v => Math.Exp(v - max)).ToArray();
        return e.Select(v => (float)(v / e.Sum())).ToArray();
    }

    public static void AssertClose(float[] expected, float[] actual, double tol)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol, $"score {i}: expected {expected[i]}, got {actual[i]}");
    }
}
