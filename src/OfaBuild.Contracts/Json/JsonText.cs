using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace OfaBuild.Contracts.Json;

/// <summary>A JSON number as written, so 64-bit integers (seeds, MAC counts) survive a read exactly.</summary>
public sealed class JsonNumber
{
    public JsonNumber(string text) => Text = text;

    public string Text { get; }

    public double ToDouble() => double.Parse(Text, NumberStyles.Float, CultureInfo.InvariantCulture);

    public bool TryInt64(out long value) => long.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public bool TryUInt64(out ulong value) => ulong.TryParse(Text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}

/// <summary>
/// A small strict JSON reader and writer (netstandard2.0 has no System.Text.Json, and the source generator
/// should not ship one). Objects are Dictionary&lt;string, object?&gt; in file order, arrays List&lt;object?&gt;,
/// numbers <see cref="JsonNumber"/>, plus string, bool and null. The writer also takes double, long, int, ulong
/// and indents as System.Text.Json's WriteIndented does.
/// </summary>
public sealed class JsonText
{
    private const int MaxDepth = 64;

    // JSON's short escapes: a backslash and EscapeLetters[k] stand for Escaped[k]. The reader takes all eight; the
    // writer uses the first five (\b and \f it writes as \u0008 and \u000c, and '/' needs no escape).
    private const string Escaped = "\"\\\n\r\t\b\f/";
    private const string EscapeLetters = "\"\\nrtbf/";
    private const int WrittenShortEscapes = 5;

    private readonly string _text;
    private int _pos;
    private int _depth;

    private JsonText(string text) => _text = text;

    /// <exception cref="FormatException">The text is not one JSON value.</exception>
    public static object? Parse(string text)
    {
        var reader = new JsonText(text);
        var value = reader.Value();
        reader.Skip();
        if (reader._pos != text.Length) throw reader.Error("unexpected text after the JSON value");
        return value;
    }

    public static string Write(object? value, bool indented)
    {
        var sb = new StringBuilder();
        Write(sb, value, indented ? 0 : -1);
        return sb.ToString();
    }

    /// <param name="indent">Depth of <paramref name="value"/>; -1 writes compact JSON.</param>
    private static void Write(StringBuilder sb, object? value, int indent)
    {
        int inner = indent < 0 ? -1 : indent + 1;
        switch (value)
        {
            case null: sb.Append("null"); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case JsonNumber n: sb.Append(n.Text); break;
            case double d:
                if (double.IsNaN(d) || double.IsInfinity(d)) throw new ArgumentException("JSON has no NaN or infinity");
                sb.Append(d.ToString("R", CultureInfo.InvariantCulture));
                break;
            case int i: sb.Append(i.ToString(CultureInfo.InvariantCulture)); break;
            case long l: sb.Append(l.ToString(CultureInfo.InvariantCulture)); break;
            case ulong u: sb.Append(u.ToString(CultureInfo.InvariantCulture)); break;
            case string s: WriteString(sb, s); break;
            case IList<object?> list:
                if (list.Count == 0) { sb.Append("[]"); break; }
                sb.Append('[');
                for (int i = 0; i < list.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    NewLine(sb, inner);
                    Write(sb, list[i], inner);
                }
                NewLine(sb, indent);
                sb.Append(']');
                break;
            case IEnumerable<KeyValuePair<string, object?>> obj:
                sb.Append('{');
                bool first = true;
                foreach (var kv in obj)
                {
                    if (!first) sb.Append(',');
                    first = false;
                    NewLine(sb, inner);
                    WriteString(sb, kv.Key);
                    sb.Append(indent < 0 ? ":" : ": ");
                    Write(sb, kv.Value, inner);
                }
                if (!first) NewLine(sb, indent);
                sb.Append('}');
                break;
            default: throw new ArgumentException("not a JSON value: " + value.GetType());
        }
    }

    private static void NewLine(StringBuilder sb, int indent)
    {
        if (indent < 0) return;
        sb.Append('\n').Append(' ', 2 * indent);
    }

    /// <summary>
    /// A quoted string with \", \\, \n, \r, \t and \uXXXX for other control characters and line separators: valid
    /// JSON and, the same escapes being C#'s, a valid C# string literal (the generator writes manifest strings with it).
    /// </summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        WriteString(sb, s);
        return sb.ToString();
    }

    private static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            int k = Escaped.IndexOf(c, 0, WrittenShortEscapes);
            if (k >= 0) sb.Append('\\').Append(EscapeLetters[k]);
            else if (char.IsControl(c) || c == '\u2028' || c == '\u2029') sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else sb.Append(c);
        }
        sb.Append('"');
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

    private void Enter()
    {
        if (++_depth > MaxDepth) throw Error($"nested deeper than {MaxDepth}");
        _pos++;
        Skip();
    }

    private Dictionary<string, object?> Object()
    {
        var obj = new Dictionary<string, object?>(StringComparer.Ordinal);
        Enter();
        if (Peek() == '}') { _pos++; _depth--; return obj; }
        while (true)
        {
            Skip();
            if (Peek() != '"') throw Error("expected a property name");
            string key = String();
            if (obj.ContainsKey(key)) throw Error($"property '{key}' appears twice");
            Skip();
            Expect(':');
            obj[key] = Value();
            Skip();
            if (Peek() == ',') { _pos++; continue; }
            Expect('}');
            _depth--;
            return obj;
        }
    }

    private List<object?> Array()
    {
        var list = new List<object?>();
        Enter();
        if (Peek() == ']') { _pos++; _depth--; return list; }
        while (true)
        {
            list.Add(Value());
            Skip();
            if (Peek() == ',') { _pos++; continue; }
            Expect(']');
            _depth--;
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
            if (c < ' ') throw Error("control character in a string");
            if (c != '\\') { sb.Append(c); continue; }
            if (_pos >= _text.Length) throw Error("unterminated escape");
            char e = _text[_pos++];
            int k = EscapeLetters.IndexOf(e);
            if (k >= 0) { sb.Append(Escaped[k]); continue; }
            if (e != 'u') throw Error($"bad escape '\\{e}'");
            if (_pos + 4 > _text.Length || !int.TryParse(_text.Substring(_pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                throw Error("bad \\u escape");
            sb.Append((char)code);
            _pos += 4;
        }
    }

    private JsonNumber Number()
    {
        int start = _pos;
        while (_pos < _text.Length && "+-0123456789.eE".IndexOf(_text[_pos]) >= 0) _pos++;
        string s = _text.Substring(start, _pos - start);
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || double.IsInfinity(d)) throw Error($"bad number '{s}'");
        return new JsonNumber(s);
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
        while (_pos < _text.Length && (_text[_pos] == ' ' || _text[_pos] == '\t' || _text[_pos] == '\n' || _text[_pos] == '\r')) _pos++;
    }

    private FormatException Error(string what)
    {
        int line = 1;
        for (int i = 0; i < _pos && i < _text.Length; i++) if (_text[i] == '\n') line++;
        return new FormatException($"{what} at line {line}");
    }
}
