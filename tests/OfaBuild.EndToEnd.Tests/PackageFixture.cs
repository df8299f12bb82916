using OfaBuild.Core.Packaging;
using OfaBuild.Core.Space;

namespace OfaBuild.EndToEnd.Tests;

/// <summary>
/// Packs the OfaBuild package once into a private feed (a unique version, so no NuGet cache can serve a
/// stale copy) and writes a small supernet with calibration images, as a user's project would have.
/// </summary>
public sealed class PackageFixture : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("ofa-e2e-").FullName;
    public string Feed => Path.Combine(Root, "feed");
    public string Version { get; }
    public string Supernet => Path.Combine(Root, "supernet.ofa");
    public string Repo { get; } = FindRepo();

    public PackageFixture()
    {
        string suffix = "e2e." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
        var pack = Shell.Dotnet(Repo, "pack", Path.Combine(Repo, "nuget", "OfaBuild.csproj"), "-c", "Release",
            $"-p:OfaVersionSuffix={suffix}", $"-p:PackageOutputPath={Feed}");
        if (pack.ExitCode != 0) throw new InvalidOperationException("dotnet pack failed:\n" + pack);
        Version = Path.GetFileNameWithoutExtension(Directory.GetFiles(Feed, "OfaBuild.*.nupkg").Single())["OfaBuild.".Length..];
        WriteSupernet(Supernet);
    }

    /// <summary>A small 5-stage space: every build specialises in about a second.</summary>
    public static SearchSpace Space { get; } = new()
    {
        Name = "e2e-small",
        InputChannels = 1,
        NumClasses = 4,
        FirstConvWidth = 8,
        FirstConvStride = 2,
        FirstBlockWidth = 8,
        Stages = [new(8, 2, Activation.Relu, false), new(16, 1, Activation.Relu, true), new(16, 2, Activation.HSwish, false),
                  new(24, 1, Activation.HSwish, true), new(24, 2, Activation.HSwish, true)],
        FinalExpandWidth = 48,
        FeatureMixWidth = 64,
        KernelSizes = [3, 5, 7],
        ExpandRatios = [3, 4, 6],
        Depths = [2, 3, 4],
        Resolutions = [24, 28],
    };

    public static void WriteSupernet(string path, int seed = 1) =>
        UntrainedPackage.Create(Space, seed, calibrationImages: 32, labels: ["north", "east", "south", "west"],
            normalization: new InputNormalization([0.5], [0.25])).Write(path);

    /// <summary>A console app's nuget.config and project file in <paramref name="dir"/>, referencing this package as a user's app would.</summary>
    public void WriteAppProject(string dir, string assemblyName)
    {
        File.WriteAllText(Path.Combine(dir, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="ofabuild" value="{Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(dir, assemblyName + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <AssemblyName>{assemblyName}</AssemblyName>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="OfaBuild" Version="{Version}" />
              </ItemGroup>
            </Project>
            """);
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }

    private static string FindRepo()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "OfaBuild.sln"))) return d.FullName;
        throw new InvalidOperationException("OfaBuild.sln not found");
    }
}

[CollectionDefinition("package")]
public sealed class PackageCollection : ICollectionFixture<PackageFixture>;
