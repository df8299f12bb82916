using System.Text;

namespace OfaBuild.Core.Tests.Fuzzing;

/// <summary>
/// Seeded mutations of a valid input: bit flips, random bytes, truncation, chunk duplication and deletion,
/// huge little-endian integers (sizes and offsets), and for text, numbers swapped for huge, negative,
/// fractional or NaN values and strings for other types.
/// </summary>
internal static class Mutator
{
    private static readonly string[] JsonReplacements =
        ["1e308", "-1", "0", "NaN", "\"NaN\"", "18446744073709551615", "-9223372036854775808", "1.5", "null", "[]", "{}", "\"\"", "true", "\"F64\"", "[1,2]", "99999999"];

    public static byte[] Mutate(byte[] original, Random rng, bool text)
    {
        var bytes = original.ToList();
        int edits = rng.Next(1, 4);
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            switch (rng.Next(text ? 8 : 6))
            {
                case 0: // bit flip
                    int i = rng.Next(bytes.Count);
                    bytes[i] = (byte)(bytes[i] ^ (1 << rng.Next(8)));
                    break;
                case 1: // random byte
                    bytes[rng.Next(bytes.Count)] = (byte)rng.Next(256);
                    break;
                case 2: // truncation
                    bytes = bytes.Take(rng.Next(bytes.Count + 1)).ToList();
                    break;
                case 3: // huge little-endian integer over 8 bytes (a size, offset or header length)
                    int at = rng.Next(Math.Max(1, bytes.Count - 8));
                    var huge = BitConverter.GetBytes(rng.Next(3) switch { 0 => long.MaxValue, 1 => (long)int.MaxValue + rng.Next(), _ => -1L });
                    for (int k = 0; k < 8 && at + k < bytes.Count; k++) bytes[at + k] = huge[k];
                    break;
                case 4: // duplicate a chunk
                    int from = rng.Next(bytes.Count), len = Math.Min(rng.Next(1, 64), bytes.Count - from);
                    bytes.InsertRange(rng.Next(bytes.Count), bytes.GetRange(from, len));
                    break;
                case 5: // delete a chunk
                    int start = rng.Next(bytes.Count);
                    bytes.RemoveRange(start, Math.Min(rng.Next(1, 64), bytes.Count - start));
                    break;
                case 6: // replace a JSON number with an extreme value
                case 7:
                    bytes = ReplaceToken(bytes, rng);
                    break;
            }
        }
        return bytes.ToArray();
    }

    private static List<byte> ReplaceToken(List<byte> bytes, Random rng)
    {
        var s = Encoding.UTF8.GetString(bytes.ToArray());
        var starts = new List<int>();
        for (int i = 0; i < s.Length; i++)
            if ((char.IsDigit(s[i]) || s[i] == '"') && (i == 0 || !char.IsLetterOrDigit(s[i - 1]))) starts.Add(i);
        if (starts.Count == 0) return bytes;
        int a = starts[rng.Next(starts.Count)], b = a + 1;
        if (s[a] == '"') { while (b < s.Length && s[b] != '"') b++; b = Math.Min(b + 1, s.Length); }
        else while (b < s.Length && (char.IsDigit(s[b]) || s[b] is '.' or 'e' or 'E' or '-' or '+')) b++;
        var replaced = s[..a] + JsonReplacements[rng.Next(JsonReplacements.Length)] + s[b..];
        return Encoding.UTF8.GetBytes(replaced).ToList();
    }
}
