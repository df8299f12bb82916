using System.Buffers.Binary;
using System.Text;
using static OfaBuild.Core.Checkpoints.PickleOpcodes;

namespace OfaBuild.Core.Checkpoints;

/// <summary>
/// A pickle reader that never runs code: it only knows the opcodes <c>torch.save</c> uses for a state
/// dict and hands globals, calls and persistent ids to an <see cref="IPickleHost"/> that allows a short list.
/// Iterative (no recursion) and bounded in stack, memo and values created, so hostile input cannot hang
/// it or exhaust memory; every failure is an <see cref="OfaFormatException"/> naming the file and offset.
/// </summary>
internal sealed class RestrictedUnpickler
{
    // A state dict needs a few values per tensor; these leave room for ~100k tensors.
    public const int MaxStack = 1_000_000;
    public const int MaxMemo = 1_000_000;
    public const int MaxValues = 4_000_000;
    private const int MaxGlobalLine = 256;

    private readonly byte[] _data;
    private readonly string _where;
    private readonly IPickleHost _host;
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];
    private int _pos;
    private int _opStart;
    private byte _op;
    private int _values;

    private RestrictedUnpickler(byte[] data, int start, string where, IPickleHost host)
    {
        _data = data;
        _pos = start;
        _where = where;
        _host = host;
    }

    /// <summary>Reads the single pickle in <paramref name="data"/>; <paramref name="where"/> names it in messages (file and entry).</summary>
    public static object? Load(byte[] data, string where, IPickleHost host) => new RestrictedUnpickler(data, 0, where, host).Run();

    /// <summary>Reads the pickle starting at <paramref name="start"/>; <paramref name="end"/> is the offset just past its STOP (files that hold several pickles in a row).</summary>
    public static object? Load(byte[] data, int start, string where, IPickleHost host, out int end)
    {
        var reader = new RestrictedUnpickler(data, start, where, host);
        var value = reader.Run();
        end = reader._pos;
        return value;
    }

    private object? Run()
    {
        while (true)
        {
            if (_pos >= _data.Length) throw Fail($"the pickle ends at byte {_data.Length} without STOP (truncated file)", withOp: false);
            _opStart = _pos;
            _op = _data[_pos++];
            switch (_op)
            {
                case Proto:
                    int proto = ReadByte();
                    if (proto is < 2 or > 5) throw Fail($"pickle protocol {proto} is not supported (torch.save writes 2-5)");
                    break;
                case Frame:
                    long frame = (long)BinaryPrimitives.ReadUInt64LittleEndian(Take(8));
                    if (frame > _data.Length - _pos) throw Fail($"FRAME of {frame} bytes runs past the end of the pickle (truncated file)");
                    break;
                case Stop:
                    if (_stack.Count != 1 || _marks.Count != 0) throw Fail($"STOP with {_stack.Count} values on the stack and {_marks.Count} open marks");
                    return _stack[0];

                case Mark:
                    if (_marks.Count >= MaxStack) throw Fail("too many open marks");
                    _marks.Push(_stack.Count);
                    break;
                case Pop: PopValue(); break;
                case PopMark: PopToMark(); break;

                case EmptyDict: Push(new PickleDict()); break;
                case EmptyList: Push(new List<object?>()); break;
                case EmptyTuple: Push(Array.Empty<object?>()); break;
                case PickleOpcodes.Tuple: Push(PopToMark().ToArray()); break;
                case Tuple1: Push(PopN(1)); break;
                case Tuple2: Push(PopN(2)); break;
                case Tuple3: Push(PopN(3)); break;

                case BinPut: Put(ReadByte()); break;
                case LongBinPut: Put(BinaryPrimitives.ReadUInt32LittleEndian(Take(4))); break;
                case Memoize: Put(_memo.Count); break;
                case BinGet: Get(ReadByte()); break;
                case LongBinGet: Get(BinaryPrimitives.ReadUInt32LittleEndian(Take(4))); break;

                case BinUnicode: Push(ReadUtf8(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))); break;
                case ShortBinUnicode: Push(ReadUtf8(ReadByte())); break;
                case BinUnicode8: Push(ReadUtf8(BinaryPrimitives.ReadUInt64LittleEndian(Take(8)))); break;
                case BinInt: Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break;
                case BinInt1: Push((long)ReadByte()); break;
                case BinInt2: Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break;
                case Long1: Push(ReadLong1()); break;
                case BinFloat: Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break;
                case None: Push(null); break;
                case NewTrue: Push(true); break;
                case NewFalse: Push(false); break;

                case Global:
                    // Resolve (and refuse) on the opcode itself, before anything could use the global.
                    string module = ReadLine(), name = ReadLine();
                    Push(_host.ResolveGlobal(module, name));
                    break;
                case StackGlobal:
                    var gname = PopValue();
                    var gmodule = PopValue();
                    if (gmodule is not string m || gname is not string n)
                        throw Fail($"STACK_GLOBAL needs two strings, found {PickleValues.Describe(gmodule)} and {PickleValues.Describe(gname)}");
                    Push(_host.ResolveGlobal(m, n));
                    break;
                case Reduce:
                    var args = PopValue();
                    var callable = PopValue();
                    if (args is not object?[] argTuple) throw Fail($"REDUCE needs an argument tuple, found {PickleValues.Describe(args)}");
                    Push(_host.Call(callable, argTuple));
                    break;
                case Build:
                    var state = PopValue();
                    _host.Build(Peek(), state);
                    break;
                case BinPersId: Push(_host.PersistentLoad(PopValue())); break;

                case SetItem:
                    var value = PopValue();
                    var key = PopValue();
                    Dict(Peek()).Items.Add(new(key, value));
                    break;
                case SetItems:
                    var kv = PopToMark();
                    if (kv.Count % 2 != 0) throw Fail($"SETITEMS with an odd number ({kv.Count}) of keys and values");
                    var dict = Dict(Peek());
                    for (int i = 0; i < kv.Count; i += 2) dict.Items.Add(new(kv[i], kv[i + 1]));
                    break;
                case Append:
                    var item = PopValue();
                    List(Peek()).Add(item);
                    break;
                case Appends:
                    var items = PopToMark();
                    List(Peek()).AddRange(items);
                    break;

                default:
                    throw Fail($"unknown or unsupported pickle opcode {Name(_op)} at offset {_opStart}; a state dict written by torch.save does not use it", withOp: false);
            }
        }
    }

    private OfaFormatException Fail(string what, bool withOp = true) =>
        new(withOp ? $"{_where}: {what} ({Name(_op)} at offset {_opStart})." : $"{_where}: {what}.");

    private ReadOnlySpan<byte> Take(int n)
    {
        if (n > _data.Length - _pos) throw Fail($"the pickle ends inside an opcode's argument (truncated file)");
        var span = _data.AsSpan(_pos, n);
        _pos += n;
        return span;
    }

    private byte ReadByte() => Take(1)[0];

    private string ReadUtf8(ulong length)
    {
        if (length > (ulong)(_data.Length - _pos)) throw Fail($"a string of {length} bytes runs past the end of the pickle (truncated file)");
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Take((int)length));
        }
        catch (DecoderFallbackException)
        {
            throw Fail("a string is not valid UTF-8");
        }
    }

    private long ReadLong1()
    {
        int n = ReadByte();
        if (n > 8) throw Fail($"an integer of {n} bytes is too large for a state dict");
        var bytes = Take(n);
        if (n == 0) return 0;
        long v = bytes[n - 1] >= 0x80 ? -1 : 0; // two's complement, little-endian
        for (int i = n - 1; i >= 0; i--) v = (v << 8) | bytes[i];
        return v;
    }

    private string ReadLine()
    {
        int end = Array.IndexOf(_data, (byte)'\n', _pos, Math.Min(MaxGlobalLine, _data.Length - _pos));
        if (end < 0) throw Fail("GLOBAL's module or name is not a short newline-terminated line (truncated or damaged file)");
        var line = Encoding.ASCII.GetString(_data, _pos, end - _pos);
        _pos = end + 1;
        return line;
    }

    private void Push(object? value)
    {
        if (_stack.Count >= MaxStack) throw Fail($"the pickle stack grows past {MaxStack} values");
        if (++_values > MaxValues) throw Fail($"the pickle creates more than {MaxValues} values; far more than a state dict needs");
        _stack.Add(value);
    }

    private int Floor => _marks.Count > 0 ? _marks.Peek() : 0;

    private object? Peek()
    {
        if (_stack.Count <= Floor) throw Fail("the pickle stack is empty (damaged file)");
        return _stack[^1];
    }

    private object? PopValue()
    {
        var v = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        return v;
    }

    private object?[] PopN(int n)
    {
        if (_stack.Count - Floor < n) throw Fail($"needs {n} values but the stack holds {_stack.Count - Floor} (damaged file)");
        var items = _stack.GetRange(_stack.Count - n, n).ToArray();
        _stack.RemoveRange(_stack.Count - n, n);
        return items;
    }

    private List<object?> PopToMark()
    {
        if (_marks.Count == 0) throw Fail("no MARK to pop to (damaged file)");
        int start = _marks.Pop();
        var items = _stack.GetRange(start, _stack.Count - start);
        _stack.RemoveRange(start, _stack.Count - start);
        return items;
    }

    private void Put(long index)
    {
        if (!_memo.ContainsKey(index) && _memo.Count >= MaxMemo) throw Fail($"the pickle memo grows past {MaxMemo} entries");
        _memo[index] = Peek();
    }

    private void Get(long index)
    {
        if (!_memo.TryGetValue(index, out var v)) throw Fail($"memo entry {index} was never stored (damaged file)");
        Push(v);
    }

    private PickleDict Dict(object? target) =>
        target as PickleDict ?? throw Fail($"expects a dict to add to, found {PickleValues.Describe(target)}");

    private List<object?> List(object? target) =>
        target as List<object?> ?? throw Fail($"expects a list to add to, found {PickleValues.Describe(target)}");
}
