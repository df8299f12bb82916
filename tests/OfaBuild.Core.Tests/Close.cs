namespace OfaBuild.Core.Tests;

internal static class Close
{
    /// <summary>Asserts equal lengths and max |expected - actual| within <paramref name="tolerance"/>.</summary>
    public static void All(float[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double d = Math.Abs((double)expected[i] - actual[i]);
            if (!(d <= worst)) { worst = d; at = i; }
        }
        Assert.True(worst <= tolerance, $"max |diff| {worst:E3} at {at} exceeds {tolerance:E1} (expected {expected[Math.Max(at, 0)]}, actual {actual[Math.Max(at, 0)]})");
    }
}
