namespace OfaBuild.Runtime;

/// <summary>Sorting of latency samples on the Predict path.</summary>
internal static class Ticks
{
    /// <summary>
    /// Insertion sort (the samples are a few dozen to a hundred). Not Array.Sort or Span.Sort: their first use in a
    /// process creates the generic sort helper, an allocation inside a Predict call that must allocate nothing.
    /// </summary>
    public static void Sort(Span<long> values)
    {
        for (int i = 1; i < values.Length; i++)
        {
            long v = values[i];
            int j = i - 1;
            for (; j >= 0 && values[j] > v; j--) values[j + 1] = values[j];
            values[j + 1] = v;
        }
    }
}
