namespace OfaBuild.Generator.Diagnostics
{
    /// <summary>Device names the build tool knows latency tables for (OfaBuild.Core's catalog); others need a Profile.</summary>
    internal static class DeviceCatalog
    {
        public static readonly string[] Names =
            { "cortex-a53", "cortex-a55", "cortex-a72", "cortex-a76", "apple-m1", "x64-avx2", "x64-avx512", "note10", "host" };
    }
}
