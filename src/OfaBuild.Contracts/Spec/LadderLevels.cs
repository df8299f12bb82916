namespace OfaBuild.Contracts;

/// <summary>
/// How many rungs an adaptive target's ladder may have, rung 0 included: the build and `ofa specialize` check it,
/// and the generated [OfaTarget] attribute's documentation states it.
/// </summary>
public static class LadderLevels
{
    public const int Min = 2;
    public const int Max = 8;
    /// <summary>Rungs of an adaptive target that does not say how many.</summary>
    public const int Default = 3;
}
