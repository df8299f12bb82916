namespace OfaBuild.Core.Checkpoints;

/// <summary>
/// The pickle opcodes (protocols 2-5) that <c>torch.save</c> emits for a state dict, plus a few
/// trivial stack ones. Everything else is refused by <see cref="RestrictedUnpickler"/>.
/// </summary>
internal static class PickleOpcodes
{
    public const byte Proto = 0x80;
    public const byte Frame = 0x95;
    public const byte Stop = (byte)'.';

    public const byte Mark = (byte)'(';
    public const byte Pop = (byte)'0';
    public const byte PopMark = (byte)'1';

    public const byte EmptyDict = (byte)'}';
    public const byte EmptyList = (byte)']';
    public const byte EmptyTuple = (byte)')';
    public const byte Tuple = (byte)'t';
    public const byte Tuple1 = 0x85;
    public const byte Tuple2 = 0x86;
    public const byte Tuple3 = 0x87;

    public const byte BinPut = (byte)'q';
    public const byte LongBinPut = (byte)'r';
    public const byte Memoize = 0x94;
    public const byte BinGet = (byte)'h';
    public const byte LongBinGet = (byte)'j';

    public const byte BinUnicode = (byte)'X';
    public const byte ShortBinUnicode = 0x8c;
    public const byte BinUnicode8 = 0x8d;
    public const byte BinInt = (byte)'J';
    public const byte BinInt1 = (byte)'K';
    public const byte BinInt2 = (byte)'M';
    public const byte Long1 = 0x8a;
    public const byte BinFloat = (byte)'G';
    public const byte None = (byte)'N';
    public const byte NewTrue = 0x88;
    public const byte NewFalse = 0x89;

    public const byte Global = (byte)'c';
    public const byte StackGlobal = 0x93;
    public const byte Reduce = (byte)'R';
    public const byte Build = (byte)'b';
    public const byte BinPersId = (byte)'Q';

    public const byte SetItem = (byte)'s';
    public const byte SetItems = (byte)'u';
    public const byte Append = (byte)'a';
    public const byte Appends = (byte)'e';

    /// <summary>The opcode's name as in Python's pickletools, for messages.</summary>
    public static string Name(byte op) => op switch
    {
        Proto => "PROTO", Frame => "FRAME", Stop => "STOP", Mark => "MARK", Pop => "POP", PopMark => "POP_MARK",
        EmptyDict => "EMPTY_DICT", EmptyList => "EMPTY_LIST", EmptyTuple => "EMPTY_TUPLE",
        Tuple => "TUPLE", Tuple1 => "TUPLE1", Tuple2 => "TUPLE2", Tuple3 => "TUPLE3",
        BinPut => "BINPUT", LongBinPut => "LONG_BINPUT", Memoize => "MEMOIZE", BinGet => "BINGET", LongBinGet => "LONG_BINGET",
        BinUnicode => "BINUNICODE", ShortBinUnicode => "SHORT_BINUNICODE", BinUnicode8 => "BINUNICODE8",
        BinInt => "BININT", BinInt1 => "BININT1", BinInt2 => "BININT2", Long1 => "LONG1", BinFloat => "BINFLOAT",
        None => "NONE", NewTrue => "NEWTRUE", NewFalse => "NEWFALSE",
        Global => "GLOBAL", StackGlobal => "STACK_GLOBAL", Reduce => "REDUCE", Build => "BUILD", BinPersId => "BINPERSID",
        SetItem => "SETITEM", SetItems => "SETITEMS", Append => "APPEND", Appends => "APPENDS",
        _ => op is >= 0x20 and < 0x7f ? $"0x{op:x2} ('{(char)op}')" : $"0x{op:x2}",
    };
}
