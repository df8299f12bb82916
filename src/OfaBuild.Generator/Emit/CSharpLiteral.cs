using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace OfaBuild.Generator.Emit
{
    /// <summary>C# literals for values from manifests (which are outside the compiler's control: escape everything).</summary>
    internal static class CSharpLiteral
    {
        public static string String(string s)
        {
            var sb = new StringBuilder("\"");
            foreach (char c in s)
            {
                switch (c)
                {
                    case '"': sb.Append("\\\""); break;
                    case '\\': sb.Append("\\\\"); break;
                    case '\n': sb.Append("\\n"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\t': sb.Append("\\t"); break;
                    default:
                        if (char.IsControl(c) || c == '\u2028' || c == '\u2029') sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else sb.Append(c);
                        break;
                }
            }
            return sb.Append('"').ToString();
        }

        public static string Double(double d) =>
            double.IsNaN(d) ? "double.NaN"
            : double.IsPositiveInfinity(d) ? "double.PositiveInfinity"
            : double.IsNegativeInfinity(d) ? "double.NegativeInfinity"
            : d.ToString("R", CultureInfo.InvariantCulture);

        public static string NullableDouble(double? d) => d is double v ? Double(v) : "null";

        public static string Long(long v) => v.ToString(CultureInfo.InvariantCulture) + "L";

        public static string Int(int v) => v.ToString(CultureInfo.InvariantCulture);

        public static string Strings(IEnumerable<string> items) => Array("string", items.Select(String).ToList());

        public static string Doubles(IEnumerable<double> items) => Array("double", items.Select(Double).ToList());

        private static string Array(string type, List<string> items) =>
            items.Count == 0 ? $"global::System.Array.Empty<{type}>()" : $"new {type}[] {{ {string.Join(", ", items)} }}";
    }
}
