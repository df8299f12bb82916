using OfaBuild.Core.Packaging;

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
    public string Repo => Fixtures.RepoRoot;

    public PackageFixture()
    {
        string suffix = "e2e." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
        var pack = Shell.Dotnet(Repo, "pack", Path.Combine(Repo, "nuget", "OfaBuild.csproj"), "-c", "Release",
            $"-p:OfaVersionSuffix={suffix}", $"-p:PackageOutputPath={Feed}");
        if (pack.ExitCode != 0) throw new InvalidOperationException("dotnet pack failed:\n" + pack);
        Version = Path.GetFileNameWithoutExtension(Directory.GetFiles(Feed, "OfaBuild.*.nupkg").Single())["OfaBuild.".Length..];
        WriteSupernet(Supernet);
    }

    public static void WriteSupernet(string path, int seed = 1) =>
        UntrainedPackage.Create(TestSpaces.ForBuild, seed, calibrationImages: 32, labels: ["north", "east", "south", "west"],
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
}

[CollectionDefinition("package")]
public sealed class PackageCollection : ICollectionFixture<PackageFixture>;
