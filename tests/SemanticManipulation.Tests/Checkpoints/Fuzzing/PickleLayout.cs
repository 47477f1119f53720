using System.Buffers.Binary;
using System.Text;
using SemanticManipulation.Checkpoints;

namespace SemanticManipulation.Tests.Checkpoints.Fuzzing;

/// <summary>
/// Where the opcodes, ints, strings and globals of one valid pickle sit in a file, so that mutations can change a
/// value (a size, a storage type, a key) rather than a random byte. Offsets are absolute in the file.
/// </summary>
internal sealed class PickleLayout
{
    private PickleLayout(int start, int end, List<Op> ops, List<GlobalSite> globals)
    {
        Start = start;
        End = end;
        Ops = ops;
        Globals = globals;
    }

    /// <summary>One opcode with its argument bytes.</summary>
    public sealed record Op(int Offset, int Length, PickleOpcode Code, object? Value);

    /// <summary>A global: the bytes that name it (a whole GLOBAL, or the one STACK_GLOBAL byte) and what it names.</summary>
    public sealed record GlobalSite(int Offset, int Length, string Module, string Name, bool Stack);

    public int Start { get; }

    /// <summary>Just past the STOP opcode.</summary>
    public int End { get; }

    public IReadOnlyList<Op> Ops { get; }

    public IReadOnlyList<GlobalSite> Globals { get; }

    public IEnumerable<Op> Ints => Ops.Where(o => o.Code is PickleOpcode.BinInt or PickleOpcode.BinInt1 or PickleOpcode.BinInt2 or PickleOpcode.Long1);

    public IEnumerable<Op> Strings => Ops.Where(o => o.Value is string && o.Code != PickleOpcode.Global);

    /// <summary>Walks the pickle that starts at <paramref name="start"/> up to and including its STOP.</summary>
    public static PickleLayout Walk(byte[] data, int start)
    {
        var ops = new List<Op>();
        var globals = new List<GlobalSite>();
        var pushed = new List<object?>();
        var memo = new Dictionary<long, object?>();
        var position = start;
        while (true)
        {
            var offset = position;
            var code = (PickleOpcode)data[position++];
            object? value = null;
            switch (code)
            {
                case PickleOpcode.Proto or PickleOpcode.BinInt1 or PickleOpcode.BinPut or PickleOpcode.BinGet:
                    value = (long)data[position];
                    position += 1;
                    break;
                case PickleOpcode.BinInt2:
                    value = (long)BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(position));
                    position += 2;
                    break;
                case PickleOpcode.BinInt or PickleOpcode.LongBinPut or PickleOpcode.LongBinGet:
                    value = code == PickleOpcode.BinInt
                        ? BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(position))
                        : (long)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(position));
                    position += 4;
                    break;
                case PickleOpcode.Frame or PickleOpcode.BinFloat:
                    position += 8;
                    break;
                case PickleOpcode.Long1:
                    var longLength = data[position];
                    value = (long)new System.Numerics.BigInteger(data.AsSpan(position + 1, Math.Min((int)longLength, 8)), isUnsigned: false);
                    position += 1 + longLength;
                    break;
                case PickleOpcode.ShortBinUnicode or PickleOpcode.ShortBinString or PickleOpcode.ShortBinBytes:
                    value = Text(code, data.AsSpan(position + 1, data[position]));
                    position += 1 + data[position];
                    break;
                case PickleOpcode.BinUnicode or PickleOpcode.BinString or PickleOpcode.BinBytes:
                    var length = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(position));
                    value = Text(code, data.AsSpan(position + 4, length));
                    position += 4 + length;
                    break;
                case PickleOpcode.BinUnicode8 or PickleOpcode.BinBytes8:
                    var length8 = (int)BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(position));
                    value = Text(code, data.AsSpan(position + 8, length8));
                    position += 8 + length8;
                    break;
                case PickleOpcode.Global:
                    var module = Line(data, ref position);
                    var name = Line(data, ref position);
                    value = module + "." + name;
                    globals.Add(new(offset, position - offset, module, name, Stack: false));
                    break;
                case PickleOpcode.StackGlobal:
                    if (pushed.Count >= 2 && pushed[^2] is string stackModule && pushed[^1] is string stackName)
                    {
                        globals.Add(new(offset, 1, stackModule, stackName, Stack: true));
                    }

                    break;
                case PickleOpcode.Stop:
                    ops.Add(new(offset, 1, code, null));
                    return new PickleLayout(start, position, ops, globals);
                default:
                    if (!Enum.IsDefined(code))
                    {
                        throw new InvalidDataException($"The fuzzer's pickle walker does not know opcode 0x{(byte)code:X2} at {offset}.");
                    }

                    break;
            }

            ops.Add(new(offset, position - offset, code, value));
            Track(code, value, pushed, memo);
        }
    }

    /// <summary>Follows which strings are on top of the stack (through the memo), to name STACK_GLOBAL's operands.</summary>
    private static void Track(PickleOpcode code, object? value, List<object?> pushed, Dictionary<long, object?> memo)
    {
        switch (code)
        {
            case PickleOpcode.BinPut or PickleOpcode.LongBinPut:
                memo[(long)value!] = pushed.Count > 0 ? pushed[^1] : null;
                break;
            case PickleOpcode.Memoize:
                memo[memo.Count] = pushed.Count > 0 ? pushed[^1] : null;
                break;
            case PickleOpcode.BinGet or PickleOpcode.LongBinGet:
                pushed.Add(memo.GetValueOrDefault((long)value!));
                break;
            case PickleOpcode.Proto or PickleOpcode.Frame:
                break;
            default:
                pushed.Add(value is string ? value : null);
                break;
        }
    }

    private static string? Text(PickleOpcode code, ReadOnlySpan<byte> bytes) => code switch
    {
        PickleOpcode.ShortBinUnicode or PickleOpcode.BinUnicode or PickleOpcode.BinUnicode8 => Encoding.UTF8.GetString(bytes),
        PickleOpcode.ShortBinString or PickleOpcode.BinString => Encoding.Latin1.GetString(bytes),
        _ => null,
    };

    private static string Line(byte[] data, ref int position)
    {
        var end = Array.IndexOf(data, (byte)'\n', position);
        var line = Encoding.ASCII.GetString(data, position, end - position);
        position = end + 1;
        return line;
    }
}
