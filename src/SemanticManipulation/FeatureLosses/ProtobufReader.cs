using System.Buffers.Binary;
using System.Text;

namespace SemanticManipulation.FeatureLosses;

/// <summary>
/// Reads the protobuf wire format (the encoding of ONNX files) field by field: just what the ONNX model reader needs,
/// so that the SDK does not depend on a protobuf runtime or generated code.
/// </summary>
internal ref struct ProtobufReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public ProtobufReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    /// <summary>The wire type of the field just read by <see cref="TryReadTag"/>.</summary>
    public ProtobufWireType WireType { get; private set; }

    /// <summary>The field number of the field just read by <see cref="TryReadTag"/>.</summary>
    public int FieldNumber { get; private set; }

    /// <summary>Reads the next field's tag; false at the end of the message.</summary>
    public bool TryReadTag()
    {
        if (_position >= _data.Length)
        {
            return false;
        }

        var tag = ReadVarint();
        FieldNumber = checked((int)(tag >> 3));
        WireType = (ProtobufWireType)(tag & 7);
        if (FieldNumber == 0)
        {
            throw new InvalidDataException($"Invalid protobuf field number 0 at byte {_position}.");
        }

        return true;
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _data.Length)
            {
                throw new EndOfStreamException("A protobuf varint runs past the end of the data.");
            }

            var b = _data[_position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new InvalidDataException("A protobuf varint is longer than 10 bytes.");
    }

    public long ReadInt64() => unchecked((long)ReadVarint());

    public float ReadFloat() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = ReadVarint();
        if (length > (ulong)(_data.Length - _position))
        {
            throw new EndOfStreamException($"A protobuf field of {length} bytes runs past the end of the data.");
        }

        return Take((int)length);
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadBytes());

    /// <summary>Reads a repeated int64 field's value(s): packed (length-delimited) or one varint.</summary>
    public void ReadInt64s(List<long> into)
    {
        if (WireType == ProtobufWireType.LengthDelimited)
        {
            var packed = new ProtobufReader(ReadBytes());
            while (packed._position < packed._data.Length)
            {
                into.Add(packed.ReadInt64());
            }
        }
        else
        {
            into.Add(ReadInt64());
        }
    }

    /// <summary>Reads a repeated float field's value(s): packed (length-delimited) or one fixed32.</summary>
    public void ReadFloats(List<float> into)
    {
        if (WireType == ProtobufWireType.LengthDelimited)
        {
            var packed = ReadBytes();
            for (var i = 0; i + 4 <= packed.Length; i += 4)
            {
                into.Add(BinaryPrimitives.ReadSingleLittleEndian(packed[i..]));
            }
        }
        else
        {
            into.Add(ReadFloat());
        }
    }

    /// <summary>Skips the value of the field just read.</summary>
    public void Skip()
    {
        switch (WireType)
        {
            case ProtobufWireType.Varint:
                ReadVarint();
                break;
            case ProtobufWireType.Fixed64:
                Take(8);
                break;
            case ProtobufWireType.LengthDelimited:
                ReadBytes();
                break;
            case ProtobufWireType.Fixed32:
                Take(4);
                break;
            default:
                throw new InvalidDataException($"Unsupported protobuf wire type {(int)WireType} for field {FieldNumber}.");
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _data.Length - _position)
        {
            throw new EndOfStreamException("A protobuf value runs past the end of the data.");
        }

        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }
}
