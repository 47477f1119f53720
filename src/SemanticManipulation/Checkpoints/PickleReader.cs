using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace SemanticManipulation.Checkpoints;

/// <summary>
/// A minimal, non-executing reader for the pickles inside PyTorch checkpoints (protocols 2–5).
/// </summary>
/// <remarks>
/// <para>It reads byte-exactly from the stream — one byte past STOP is never consumed — because a legacy checkpoint
/// is several pickles back to back followed by raw storage bytes, and the stream position is the only delimiter.</para>
/// <para>Globals resolve only against the allow-list in <see cref="PickleGlobal"/> (that of
/// <c>torch.load(weights_only=True)</c>); a pickle that names any other global is refused, since under
/// <c>torch.load</c> it could run code. Every malformed input (truncation, unknown opcode, bad memo index, stack
/// underflow, wrong operand type) throws <see cref="CheckpointFormatException"/>.</para>
/// </remarks>
internal sealed class PickleReader
{
    private const int MaxProtocol = 5;
    private const int MaxGlobalLineLength = 1024;
    private const int MaxLongBytes = 1 << 16;

    // No checkpoint pickle holds a string or bytes object anywhere near this; refusing larger lengths up front keeps a
    // corrupt length field from turning into a huge allocation.
    private const long MaxItemLength = 1L << 30;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Stream _stream;
    private readonly CheckpointSource _source;
    private readonly string _part;
    private readonly Func<object?, object?>? _persistentLoad;
    private readonly List<object?> _stack = [];
    private readonly List<int> _marks = [];
    private readonly Dictionary<long, object?> _memo = [];
    private long _offset;
    private long _opcodeOffset;
    private PickleOpcode _opcode;

    /// <summary>Creates a reader positioned at the stream's current position.</summary>
    /// <param name="stream">The stream; only the bytes of each pickle are consumed.</param>
    /// <param name="source">The file, for error messages.</param>
    /// <param name="part">Which pickle this is, for error messages (e.g. <c>archive/data.pkl</c>).</param>
    /// <param name="persistentLoad">Turns a persistent id (BINPERSID) into a value; null when the pickle must have none.</param>
    public PickleReader(Stream stream, CheckpointSource source, string part, Func<object?, object?>? persistentLoad = null)
    {
        _stream = stream;
        _source = source;
        _part = part;
        _persistentLoad = persistentLoad;
    }

    /// <summary>Reads one pickle up to and including its STOP opcode and returns the value it builds.</summary>
    /// <exception cref="CheckpointFormatException">The pickle is truncated or malformed.</exception>
    public object? Load()
    {
        _stack.Clear();
        _marks.Clear();
        _memo.Clear();
        while (true)
        {
            _opcodeOffset = _offset;
            var code = ReadOpcode();
            _opcode = (PickleOpcode)code;
            switch (_opcode)
            {
                case PickleOpcode.Proto:
                    var version = ReadByte();
                    if (version > MaxProtocol)
                    {
                        throw Corrupt($"pickle protocol {version} is not supported (at most {MaxProtocol})");
                    }

                    break;
                case PickleOpcode.Frame:
                    // Frames only group bytes for buffered readers; reading byte-exactly, the length is just skipped.
                    ReadUInt64();
                    break;
                case PickleOpcode.Stop:
                    return Pop();
                case PickleOpcode.Mark:
                    _marks.Add(_stack.Count);
                    break;
                case PickleOpcode.Pop:
                    Pop();
                    break;
                case PickleOpcode.PopMark:
                    PopMark();
                    break;
                case PickleOpcode.Dup:
                    Push(Peek());
                    break;
                case PickleOpcode.None:
                    Push(null);
                    break;
                case PickleOpcode.NewTrue:
                    Push(true);
                    break;
                case PickleOpcode.NewFalse:
                    Push(false);
                    break;
                case PickleOpcode.BinInt:
                    Push((long)ReadInt32());
                    break;
                case PickleOpcode.BinInt1:
                    Push((long)ReadByte());
                    break;
                case PickleOpcode.BinInt2:
                    Push((long)ReadUInt16());
                    break;
                case PickleOpcode.Long1:
                    Push(ReadLong(ReadByte()));
                    break;
                case PickleOpcode.Long4:
                    Push(ReadLong(ReadInt32()));
                    break;
                case PickleOpcode.BinFloat:
                    Push(ReadDoubleBigEndian());
                    break;
                case PickleOpcode.BinUnicode:
                    Push(DecodeUtf8(ReadBytes(ReadUInt32())));
                    break;
                case PickleOpcode.ShortBinUnicode:
                    Push(DecodeUtf8(ReadBytes(ReadByte())));
                    break;
                case PickleOpcode.BinUnicode8:
                    Push(DecodeUtf8(ReadBytes(ReadLength64())));
                    break;
                case PickleOpcode.BinString:
                    // Python 2 str: PyTorch only uses it for keys and names; Latin-1 keeps every byte.
                    Push(Encoding.Latin1.GetString(ReadBytes(ReadInt32())));
                    break;
                case PickleOpcode.ShortBinString:
                    Push(Encoding.Latin1.GetString(ReadBytes(ReadByte())));
                    break;
                case PickleOpcode.BinBytes:
                    Push(ReadBytes(ReadUInt32()));
                    break;
                case PickleOpcode.ShortBinBytes:
                    Push(ReadBytes(ReadByte()));
                    break;
                case PickleOpcode.BinBytes8:
                    Push(ReadBytes(ReadLength64()));
                    break;
                case PickleOpcode.EmptyDict:
                    Push(new PickleDict());
                    break;
                case PickleOpcode.EmptyList:
                    Push(new List<object?>());
                    break;
                case PickleOpcode.EmptyTuple:
                    Push(PickleTuple.Empty);
                    break;
                case PickleOpcode.EmptySet:
                    Push(new PickleSet());
                    break;
                case PickleOpcode.Dict:
                    var dict = new PickleDict();
                    SetItems(dict, PopMark());
                    Push(dict);
                    break;
                case PickleOpcode.List:
                    Push(PopMark());
                    break;
                case PickleOpcode.Tuple:
                    Push(new PickleTuple(PopMark()));
                    break;
                case PickleOpcode.Tuple1:
                    Push(PopTuple(1));
                    break;
                case PickleOpcode.Tuple2:
                    Push(PopTuple(2));
                    break;
                case PickleOpcode.Tuple3:
                    Push(PopTuple(3));
                    break;
                case PickleOpcode.FrozenSet:
                    var frozen = new PickleSet();
                    frozen.Items.AddRange(PopMark());
                    Push(frozen);
                    break;
                case PickleOpcode.BinPut:
                    _memo[ReadByte()] = Peek();
                    break;
                case PickleOpcode.LongBinPut:
                    _memo[ReadUInt32()] = Peek();
                    break;
                case PickleOpcode.Memoize:
                    _memo[_memo.Count] = Peek();
                    break;
                case PickleOpcode.BinGet:
                    Push(GetMemo(ReadByte()));
                    break;
                case PickleOpcode.LongBinGet:
                    Push(GetMemo(ReadUInt32()));
                    break;
                case PickleOpcode.Global:
                    var module = ReadLine();
                    Push(ResolveGlobal(module, ReadLine()));
                    break;
                case PickleOpcode.StackGlobal:
                    var globalName = Pop() as string ?? throw Corrupt("STACK_GLOBAL needs a string name");
                    var globalModule = Pop() as string ?? throw Corrupt("STACK_GLOBAL needs a string module");
                    Push(ResolveGlobal(globalModule, globalName));
                    break;
                case PickleOpcode.Reduce:
                    var arguments = Pop();
                    Push(Call(Pop(), arguments));
                    break;
                case PickleOpcode.NewObj:
                    var constructorArguments = Pop();
                    Push(Instantiate(Pop(), constructorArguments));
                    break;
                case PickleOpcode.Build:
                    // State set on an object (e.g. a state dict's _metadata, a Parameter's attributes) is not needed.
                    Pop();
                    Peek();
                    break;
                case PickleOpcode.SetItem:
                    var value = Pop();
                    var key = Pop();
                    SetItems(Peek(), [key, value]);
                    break;
                case PickleOpcode.SetItems:
                    var pairs = PopMark();
                    SetItems(Peek(), pairs);
                    break;
                case PickleOpcode.Append:
                    var item = Pop();
                    Append(Peek(), [item]);
                    break;
                case PickleOpcode.Appends:
                    var items = PopMark();
                    Append(Peek(), items);
                    break;
                case PickleOpcode.AddItems:
                    var added = PopMark();
                    if (Peek() is not PickleSet set)
                    {
                        throw Corrupt($"ADDITEMS applies to {Describe(Peek())}, not a set");
                    }

                    set.Items.AddRange(added);
                    break;
                case PickleOpcode.BinPersId:
                    var id = Pop();
                    if (_persistentLoad is null)
                    {
                        throw Corrupt("a persistent id appears in a pickle that should have none");
                    }

                    Push(_persistentLoad(id));
                    break;
                default:
                    throw Corrupt($"unknown pickle opcode 0x{code:X2}");
            }
        }
    }

    /// <summary>Describes a value's Python type for error messages.</summary>
    public static string Describe(object? value) => value switch
    {
        null => "None",
        string => "a string",
        long or BigInteger => "an int",
        bool => "a bool",
        double => "a float",
        byte[] => "a bytes object",
        PickleTuple => "a tuple",
        List<object?> => "a list",
        PickleDict => "a dict",
        PickleSet => "a set",
        PickleGlobal g => $"the global {g}",
        PickleObject o => $"an object of {o}",
        StorageReference => "a storage",
        TensorReference => "a tensor",
        _ => value.GetType().Name,
    };

    /// <summary>Looks a global up in the allow-list, refusing the pickle when it is not there.</summary>
    private PickleGlobal ResolveGlobal(string module, string name)
    {
        var global = PickleGlobal.Resolve(module, name);
        return global.Kind switch
        {
            PickleGlobalKind.Refused => throw _source.Error(
                $"is refused: its pickle calls {global}, which is not on the list of globals a weights file may use " +
                "(torch.load(weights_only=True) refuses it too); if you trust where the file comes from, re-save only " +
                "its tensors, e.g. torch.save(model.state_dict(), path) or as safetensors."),
            PickleGlobalKind.LoadFromBytes => throw _source.Error(
                "stores a storage with torch.storage._load_from_bytes (a tensor pickled inside a custom object), which " +
                "cannot be read without running Python; re-save the weights with torch.save(model.state_dict(), path)."),
            _ => global,
        };
    }

    private object? Call(object? callable, object? arguments)
    {
        if (callable is not PickleGlobal global)
        {
            return new PickleObject(null);
        }

        if (arguments is not PickleTuple args)
        {
            throw Corrupt($"the arguments of {global} are {Describe(arguments)}, not a tuple");
        }

        switch (global.Kind)
        {
            case PickleGlobalKind.OrderedDict:
                var dict = new PickleDict();
                if (args.Count > 0 && args[0] is List<object?> or PickleTuple)
                {
                    foreach (var pair in Sequence(args[0]))
                    {
                        var kv = Sequence(pair);
                        if (kv.Count != 2)
                        {
                            throw Corrupt("an OrderedDict is built from something other than key/value pairs");
                        }

                        dict.Set(kv[0], kv[1]);
                    }
                }

                return dict;
            case PickleGlobalKind.RebuildTensorV2:
            case PickleGlobalKind.RebuildTensor:
                return RebuildTensor(global, args);
            case PickleGlobalKind.RebuildParameter:
            case PickleGlobalKind.RebuildParameterWithState:
                // A Parameter is its data tensor plus flags this reader does not need.
                return args.Count > 0 ? args[0] : throw Corrupt($"{global} has no arguments");
            case PickleGlobalKind.RebuildFromTypeV2:
                // (func, type, args, state): a tensor subclass; its data is whatever func rebuilds from args.
                if (args.Count >= 3 && args[0] is PickleGlobal inner && inner.Kind is PickleGlobalKind.RebuildTensorV2
                        or PickleGlobalKind.RebuildTensor or PickleGlobalKind.RebuildParameter or PickleGlobalKind.RebuildParameterWithState)
                {
                    return Call(inner, args[2]);
                }

                return new PickleObject(global);
            case PickleGlobalKind.TorchSize:
                return args.Count > 0 && args[0] is List<object?> or PickleTuple ? new PickleTuple(Sequence(args[0])) : PickleTuple.Empty;
            case PickleGlobalKind.Set:
                var set = new PickleSet();
                if (args.Count > 0 && args[0] is List<object?> or PickleTuple or PickleSet)
                {
                    set.Items.AddRange(Sequence(args[0]));
                }

                return set;
            case PickleGlobalKind.CodecsEncode:
                return Encode(global, args);
            default:
                return new PickleObject(global);
        }
    }

    private static object? Instantiate(object? type, object? arguments) => type is PickleGlobal global
        ? global.Kind switch
        {
            PickleGlobalKind.OrderedDict => new PickleDict(),
            PickleGlobalKind.Set => new PickleSet(),
            // torch.nn.Parameter(data, requires_grad): the parameter is its data.
            PickleGlobalKind.RebuildParameter when arguments is PickleTuple { Count: > 0 } args => args[0],
            _ => new PickleObject(global),
        }
        : new PickleObject(null);

    /// <summary><c>_codecs.encode(text, encoding)</c>, which is how protocol 2 pickles a Python 3 bytes object.</summary>
    private object Encode(PickleGlobal global, PickleTuple args)
    {
        var encoding = args.Count > 1 ? args[1] : "utf-8";
        return (args.Count > 0 ? args[0] : null, encoding) switch
        {
            (string text, "latin1" or "latin-1" or "iso-8859-1") => Latin1Bytes(text),
            (string text, "utf-8" or "utf8") => Encoding.UTF8.GetBytes(text),
            _ => new PickleObject(global),
        };
    }

    private byte[] Latin1Bytes(string text) =>
        text.Any(c => c > '\u00ff')
            ? throw Corrupt("_codecs.encode is asked to encode a character outside Latin-1 as Latin-1")
            : Encoding.Latin1.GetBytes(text);

    private TensorReference RebuildTensor(PickleGlobal global, PickleTuple args)
    {
        if (args.Count < 4)
        {
            throw Corrupt($"{global} has {args.Count} arguments; a tensor record needs at least 4");
        }

        if (args[0] is not StorageReference storage)
        {
            throw Corrupt($"a tensor record's storage is {Describe(args[0])}, not a storage reference");
        }

        var offset = args[1] as long? ?? throw Corrupt($"a tensor record's storage offset is {Describe(args[1])}, not an int");
        return new TensorReference(storage, offset, Longs(args[2], "size"), Longs(args[3], "stride"));
    }

    private long[] Longs(object? value, string what)
    {
        if (value is not (List<object?> or PickleTuple))
        {
            throw Corrupt($"a tensor record's {what} is {Describe(value)}, not a tuple of ints");
        }

        var items = Sequence(value);
        var result = new long[items.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = items[i] as long? ?? throw Corrupt($"a tensor record's {what} holds {Describe(items[i])}, not an int");
        }

        return result;
    }

    private static IReadOnlyList<object?> Sequence(object? value) => value switch
    {
        PickleTuple tuple => tuple.Items,
        List<object?> list => list,
        PickleSet set => set.Items,
        _ => [],
    };

    private void SetItems(object? target, List<object?> keysAndValues)
    {
        if (keysAndValues.Count % 2 != 0)
        {
            throw Corrupt($"{_opcode.ToString().ToUpperInvariant()} has an odd number of keys and values");
        }

        switch (target)
        {
            case PickleDict dict:
                for (var i = 0; i < keysAndValues.Count; i += 2)
                {
                    dict.Set(keysAndValues[i], keysAndValues[i + 1]);
                }

                break;
            case PickleObject:
                // An allowed dict subclass this reader does not build (collections.Counter): its items are not needed.
                break;
            default:
                throw Corrupt($"{_opcode.ToString().ToUpperInvariant()} applies to {Describe(target)}, not a dict");
        }
    }

    private void Append(object? target, List<object?> items)
    {
        switch (target)
        {
            case List<object?> list:
                list.AddRange(items);
                break;
            case PickleObject:
                break;
            default:
                throw Corrupt($"{_opcode.ToString().ToUpperInvariant()} applies to {Describe(target)}, not a list");
        }
    }

    private void Push(object? value) => _stack.Add(value);

    private int StackFloor => _marks.Count > 0 ? _marks[^1] : 0;

    private object? Pop()
    {
        if (_stack.Count <= StackFloor)
        {
            throw Corrupt("the pickle stack underflows");
        }

        var value = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private object? Peek() =>
        _stack.Count > StackFloor ? _stack[^1] : throw Corrupt("the pickle stack underflows");

    private List<object?> PopMark()
    {
        if (_marks.Count == 0)
        {
            throw Corrupt($"{_opcode.ToString().ToUpperInvariant()} has no matching MARK");
        }

        var mark = _marks[^1];
        _marks.RemoveAt(_marks.Count - 1);
        var items = _stack.GetRange(mark, _stack.Count - mark);
        _stack.RemoveRange(mark, _stack.Count - mark);
        return items;
    }

    private PickleTuple PopTuple(int count)
    {
        var items = new object?[count];
        for (var i = count - 1; i >= 0; i--)
        {
            items[i] = Pop();
        }

        return new PickleTuple(items);
    }

    private object? GetMemo(long index) =>
        _memo.TryGetValue(index, out var value) ? value : throw Corrupt($"memo entry {index} is read but was never stored");

    private int ReadOpcode()
    {
        var value = _stream.ReadByte();
        if (value < 0)
        {
            throw _source.Error($"is truncated: {_part} ends after {_offset} bytes, before its STOP opcode.");
        }

        _offset++;
        return value;
    }

    private int ReadByte()
    {
        var value = _stream.ReadByte();
        if (value < 0)
        {
            throw Truncated();
        }

        _offset++;
        return value;
    }

    private void ReadExactly(Span<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var read = _stream.Read(buffer);
            if (read <= 0)
            {
                throw Truncated();
            }

            _offset += read;
            buffer = buffer[read..];
        }
    }

    private ushort ReadUInt16()
    {
        Span<byte> bytes = stackalloc byte[2];
        ReadExactly(bytes);
        return BinaryPrimitives.ReadUInt16LittleEndian(bytes);
    }

    private int ReadInt32()
    {
        Span<byte> bytes = stackalloc byte[4];
        ReadExactly(bytes);
        return BinaryPrimitives.ReadInt32LittleEndian(bytes);
    }

    private uint ReadUInt32()
    {
        Span<byte> bytes = stackalloc byte[4];
        ReadExactly(bytes);
        return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }

    private ulong ReadUInt64()
    {
        Span<byte> bytes = stackalloc byte[8];
        ReadExactly(bytes);
        return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }

    private double ReadDoubleBigEndian()
    {
        // BINFLOAT is the one big-endian field in the pickle format.
        Span<byte> bytes = stackalloc byte[8];
        ReadExactly(bytes);
        return BinaryPrimitives.ReadDoubleBigEndian(bytes);
    }

    private long ReadLength64()
    {
        var length = ReadUInt64();
        return length > MaxItemLength ? throw Corrupt($"an item claims {length} bytes") : (long)length;
    }

    private object ReadLong(int length)
    {
        if (length is < 0 or > MaxLongBytes)
        {
            throw Corrupt($"an integer claims {length} bytes");
        }

        var value = new BigInteger(ReadBytes(length), isUnsigned: false, isBigEndian: false);
        // Ints that fit are longs, like every other int opcode yields; only huge ones (the legacy magic) stay BigInteger.
        object result = value >= long.MinValue && value <= long.MaxValue ? (object)(long)value : value;
        return result;
    }

    private byte[] ReadBytes(long length)
    {
        if (length is < 0 or > MaxItemLength)
        {
            throw Corrupt($"an item claims {length} bytes");
        }

        if (_stream.CanSeek && length > _stream.Length - _stream.Position)
        {
            throw _source.Error(
                $"is truncated: {_part} needs {length} bytes for the item at byte {_opcodeOffset}, but only " +
                $"{Math.Max(0, _stream.Length - _stream.Position)} remain.");
        }

        var buffer = new byte[length];
        ReadExactly(buffer);
        return buffer;
    }

    private string ReadLine()
    {
        var bytes = new List<byte>();
        while (true)
        {
            var value = ReadByte();
            if (value == '\n')
            {
                return DecodeUtf8([.. bytes]);
            }

            if (bytes.Count >= MaxGlobalLineLength)
            {
                throw Corrupt($"a GLOBAL name is longer than {MaxGlobalLineLength} bytes");
            }

            bytes.Add((byte)value);
        }
    }

    private string DecodeUtf8(byte[] bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw Corrupt("a string is not valid UTF-8", ex);
        }
    }

    private CheckpointFormatException Truncated() =>
        _source.Error($"is truncated: {_part} ends after {_offset} bytes, inside the {OpcodeName} opcode at byte {_opcodeOffset}.");

    private CheckpointFormatException Corrupt(string detail, Exception? inner = null) =>
        _source.Error($"is not a valid checkpoint: {detail} ({_part}, {OpcodeName} opcode at byte {_opcodeOffset}).", inner);

    private string OpcodeName => Enum.IsDefined(_opcode) ? _opcode.ToString().ToUpperInvariant() : $"0x{(byte)_opcode:X2}";
}
