namespace OfaBuild.Training.Shrinking;

/// <summary>The reference's per-iteration schedule: linear warm-up from 0, then cosine decay to 0.</summary>
public static class LearningRate
{
    public static double At(double baseLr, long step, long warmupSteps, long totalSteps)
    {
        if (step < warmupSteps) return baseLr * (step + 1) / warmupSteps;
        long t = step - warmupSteps, T = Math.Max(1, totalSteps - warmupSteps);
        return 0.5 * baseLr * (1 + Math.Cos(Math.PI * t / T));
    }
}
