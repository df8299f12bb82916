namespace OfaBuild.Training.Shrinking;

/// <summary>Deterministic seed mixing (System.HashCode is randomised per process, so it cannot make a run resumable).</summary>
internal static class Seeds
{
    public static int Mix(params long[] parts)
    {
        ulong h = 0x9E3779B97F4A7C15UL;
        foreach (var p in parts)
        {
            // splitmix64 step over each part
            h ^= (ulong)p + 0x9E3779B97F4A7C15UL + (h << 6) + (h >> 2);
            h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9UL;
            h = (h ^ (h >> 27)) * 0x94D049BB133111EBUL;
            h ^= h >> 31;
        }
        return (int)(h & 0x7FFFFFFF);
    }
}
