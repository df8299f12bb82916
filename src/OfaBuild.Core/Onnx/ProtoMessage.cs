using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace OfaBuild.Core.Onnx;

/// <summary>
/// A protobuf message assembled field by field, then written once: sizes are computed first, so
/// large tensors are copied only into the final buffer. Just the wire types ONNX needs
/// (varint, fixed32, length-delimited).
/// </summary>
internal sealed class ProtoMessage
{
    private enum Kind : byte { Varint, Fixed32, Bytes, Floats, Message }

    private readonly record struct Field(int Number, Kind Kind, long Value, byte[]? Bytes, float[]? Floats, ProtoMessage? Message);

    private readonly List<Field> _fields = new();
    private long _size = -1;

    public ProtoMessage Varint(int number, long value) => Add(new(number, Kind.Varint, value, null, null, null));
    public ProtoMessage Float(int number, float value) => Add(new(number, Kind.Fixed32, BitConverter.SingleToInt32Bits(value), null, null, null));
    public ProtoMessage Bytes(int number, byte[] value) => Add(new(number, Kind.Bytes, 0, value, null, null));
    public ProtoMessage String(int number, string value) => Bytes(number, Encoding.UTF8.GetBytes(value));
    /// <summary>A float array as one length-delimited field of little-endian bytes (TensorProto.raw_data).</summary>
    public ProtoMessage RawFloats(int number, float[] values) => Add(new(number, Kind.Floats, 0, null, values, null));
    public ProtoMessage Message(int number, ProtoMessage value) => Add(new(number, Kind.Message, 0, null, null, value));

    private ProtoMessage Add(Field f)
    {
        _fields.Add(f);
        _size = -1;
        return this;
    }

    public long Size
    {
        get
        {
            if (_size >= 0) return _size;
            long n = 0;
            foreach (var f in _fields)
            {
                n += VarintSize((ulong)f.Number << 3);
                n += f.Kind switch
                {
                    Kind.Varint => VarintSize((ulong)f.Value),
                    Kind.Fixed32 => 4,
                    _ => VarintSize((ulong)PayloadSize(f)) + PayloadSize(f),
                };
            }
            return _size = n;
        }
    }

    private static long PayloadSize(Field f) => f.Kind switch
    {
        Kind.Bytes => f.Bytes!.Length,
        Kind.Floats => 4L * f.Floats!.Length,
        Kind.Message => f.Message!.Size,
        _ => 0,
    };

    public byte[] ToArray()
    {
        var buffer = new byte[checked((int)Size)];
        int written = WriteTo(buffer);
        if (written != buffer.Length) throw new InvalidOperationException("Protobuf size mismatch.");
        return buffer;
    }

    private int WriteTo(Span<byte> dst)
    {
        int pos = 0;
        foreach (var f in _fields)
        {
            int wire = f.Kind switch { Kind.Varint => 0, Kind.Fixed32 => 5, _ => 2 };
            pos += WriteVarint(dst[pos..], ((ulong)f.Number << 3) | (uint)wire);
            switch (f.Kind)
            {
                case Kind.Varint:
                    pos += WriteVarint(dst[pos..], (ulong)f.Value);
                    break;
                case Kind.Fixed32:
                    BinaryPrimitives.WriteInt32LittleEndian(dst[pos..], (int)f.Value);
                    pos += 4;
                    break;
                case Kind.Bytes:
                    pos += WriteVarint(dst[pos..], (ulong)f.Bytes!.Length);
                    f.Bytes.CopyTo(dst[pos..]);
                    pos += f.Bytes.Length;
                    break;
                case Kind.Floats:
                    var raw = MemoryMarshal.AsBytes(f.Floats.AsSpan());
                    pos += WriteVarint(dst[pos..], (ulong)raw.Length);
                    if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX raw_data is little-endian.");
                    raw.CopyTo(dst[pos..]);
                    pos += raw.Length;
                    break;
                case Kind.Message:
                    pos += WriteVarint(dst[pos..], (ulong)f.Message!.Size);
                    pos += f.Message.WriteTo(dst[pos..]);
                    break;
            }
        }
        return pos;
    }

    private static int VarintSize(ulong v)
    {
        int n = 1;
        while (v >= 0x80) { v >>= 7; n++; }
        return n;
    }

    private static int WriteVarint(Span<byte> dst, ulong v)
    {
        int i = 0;
        while (v >= 0x80)
        {
            dst[i++] = (byte)(v | 0x80);
            v >>= 7;
        }
        dst[i++] = (byte)v;
        return i;
    }
}
