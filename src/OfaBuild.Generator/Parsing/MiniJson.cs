using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace OfaBuild.Generator.Parsing
{
    /// <summary>
    /// A small strict JSON reader (netstandard2.0 has no System.Text.Json, and a generator should not ship one):
    /// objects become Dictionary&lt;string, object?&gt;, arrays List&lt;object?&gt;, numbers double, plus string, bool, null.
    /// </summary>
    internal sealed class MiniJson
    {
        private readonly string _text;
        private int _pos;

        private MiniJson(string text) => _text = text;

        public static object? Parse(string text)
        {
            var reader = new MiniJson(text);
            var value = reader.Value();
            reader.Skip();
            if (reader._pos != text.Length) throw reader.Error("unexpected text after the JSON value");
            return value;
        }

        /// <summary>Compact JSON of a parsed value (numbers in invariant round-trip form).</summary>
        public static string Write(object? value)
        {
            var sb = new StringBuilder();
            Write(sb, value);
            return sb.ToString();
        }

        private static void Write(StringBuilder sb, object? value)
        {
            switch (value)
            {
                case null: sb.Append("null"); break;
                case bool b: sb.Append(b ? "true" : "false"); break;
                case double d: sb.Append(d.ToString("R", CultureInfo.InvariantCulture)); break;
                case string s: sb.Append('"').Append(s.Replace("\\", "\\\\").Replace("\"", "\\\"")).Append('"'); break;
                case List<object?> list:
                    sb.Append('[');
                    for (int i = 0; i < list.Count; i++) { if (i > 0) sb.Append(','); Write(sb, list[i]); }
                    sb.Append(']');
                    break;
                case Dictionary<string, object?> obj:
                    sb.Append('{');
                    bool first = true;
                    foreach (var kv in obj)
                    {
                        if (!first) sb.Append(',');
                        first = false;
                        Write(sb, kv.Key);
                        sb.Append(':');
                        Write(sb, kv.Value);
                    }
                    sb.Append('}');
                    break;
                default: throw new ArgumentException("not a JSON value: " + value.GetType());
            }
        }

        private object? Value()
        {
            Skip();
            if (_pos >= _text.Length) throw Error("unexpected end");
            char c = _text[_pos];
            switch (c)
            {
                case '{': return Object();
                case '[': return Array();
                case '"': return String();
                case 't': return Literal("true", true);
                case 'f': return Literal("false", false);
                case 'n': return Literal("null", null);
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) return Number();
                    throw Error($"unexpected '{c}'");
            }
        }

        private Dictionary<string, object?> Object()
        {
            var obj = new Dictionary<string, object?>(StringComparer.Ordinal);
            _pos++;
            Skip();
            if (Peek() == '}') { _pos++; return obj; }
            while (true)
            {
                Skip();
                if (Peek() != '"') throw Error("expected a property name");
                string key = String();
                Skip();
                Expect(':');
                obj[key] = Value();
                Skip();
                if (Peek() == ',') { _pos++; continue; }
                Expect('}');
                return obj;
            }
        }

        private List<object?> Array()
        {
            var list = new List<object?>();
            _pos++;
            Skip();
            if (Peek() == ']') { _pos++; return list; }
            while (true)
            {
                list.Add(Value());
                Skip();
                if (Peek() == ',') { _pos++; continue; }
                Expect(']');
                return list;
            }
        }

        private string String()
        {
            _pos++; // opening quote
            var sb = new StringBuilder();
            while (true)
            {
                if (_pos >= _text.Length) throw Error("unterminated string");
                char c = _text[_pos++];
                if (c == '"') return sb.ToString();
                if (c != '\\') { sb.Append(c); continue; }
                if (_pos >= _text.Length) throw Error("unterminated escape");
                char e = _text[_pos++];
                switch (e)
                {
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case '/': sb.Append('/'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'u':
                        if (_pos + 4 > _text.Length) throw Error("short \\u escape");
                        sb.Append((char)int.Parse(_text.Substring(_pos, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        _pos += 4;
                        break;
                    default: throw Error($"bad escape '\\{e}'");
                }
            }
        }

        private double Number()
        {
            int start = _pos;
            while (_pos < _text.Length && "+-0123456789.eE".IndexOf(_text[_pos]) >= 0) _pos++;
            string s = _text.Substring(start, _pos - start);
            if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)) throw Error($"bad number '{s}'");
            return d;
        }

        private object? Literal(string word, object? value)
        {
            if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0) throw Error($"expected '{word}'");
            _pos += word.Length;
            return value;
        }

        private void Expect(char c)
        {
            if (Peek() != c) throw Error($"expected '{c}'");
            _pos++;
        }

        private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

        private void Skip()
        {
            while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
        }

        private FormatException Error(string what)
        {
            int line = 1;
            for (int i = 0; i < _pos && i < _text.Length; i++) if (_text[i] == '\n') line++;
            return new FormatException($"{what} at line {line}");
        }
    }
}
