using System.Reflection;

namespace OfaBuild.Core;

/// <summary>The version recorded in packages and manifests (part of every stale-check hash).</summary>
public static class ToolInfo
{
    public static string Version { get; } =
        typeof(ToolInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";
}
