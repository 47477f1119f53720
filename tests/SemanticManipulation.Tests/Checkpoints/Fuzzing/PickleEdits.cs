using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using SemanticManipulation.Checkpoints;

namespace SemanticManipulation.Tests.Checkpoints.Fuzzing;

/// <summary>
/// Mutations of one pickle inside a file that change what it says rather than random bytes: ints (sizes, strides,
/// offsets, element counts), storage types, strings (keys, locations), opcodes, and hostile globals.
/// </summary>
internal static class PickleEdits
{
    /// <summary>Globals that run code (or import) under <c>torch.load</c>; each must be refused, naming it.</summary>
    public static readonly (string Module, string Name)[] HostileGlobals =
    [
        ("os", "system"), ("posix", "system"), ("nt", "system"), ("builtins", "eval"), ("builtins", "exec"),
        ("__builtin__", "eval"), ("__builtin__", "exec"), ("subprocess", "getoutput"), ("subprocess", "check_output"),
        ("subprocess", "Popen"), ("builtins", "getattr"), ("builtins", "__import__"), ("builtins", "open"),
        ("builtins", "compile"), ("runpy", "_run_code"), ("pickle", "loads"), ("torch", "load"),
        ("torch.storage", "_load_from_bytes"), ("numpy.core.multiarray", "_reconstruct"), ("shutil", "rmtree"),
        ("webbrowser", "open"), ("functools", "partial"), ("operator", "attrgetter"), ("sys", "exit"),
        ("socket", "socket"), ("code", "InteractiveInterpreter"), ("torch.serialization", "load"), ("os", "execv"),
    ];

    private static readonly string[] StorageNames =
    [
        "FloatStorage", "DoubleStorage", "HalfStorage", "BFloat16Storage", "LongStorage", "IntStorage", "ShortStorage",
        "CharStorage", "ByteStorage", "BoolStorage", "ComplexFloatStorage", "ComplexDoubleStorage", "QInt8Storage",
        "UntypedStorage", "NoSuchStorage", "FloatTensor", "float32",
    ];

    private static readonly string[] Strings =
    [
        "", "0", "1", "99", "storage", "cpu", "cuda:0", "state_dict", "layer1.conv.weight", "data.pkl", "../../etc/passwd",
        new string('k', 300), "\u00e9\u4e2d", "little_endian",
    ];

    private static readonly PickleOpcode[] Opcodes = Enum.GetValues<PickleOpcode>();

    public static Mutation IntLie(byte[] file, PickleLayout pickle, Random rng)
    {
        var ints = pickle.Ints.ToList();
        if (ints.Count == 0)
        {
            return OpcodeEdit(file, pickle, rng);
        }

        var op = ints[rng.Next(ints.Count)];
        var value = Interesting.Integer(rng, (long)op.Value!);
        return new(ByteEdits.Replace(file, op.Offset, op.Length, EncodeInt(value)),
            string.Create(CultureInfo.InvariantCulture, $"int {op.Value} at {op.Offset} -> {value}"));
    }

    public static Mutation DtypeLie(byte[] file, PickleLayout pickle, Random rng)
    {
        var sites = pickle.Globals.Where(g => g.Name.EndsWith("Storage", StringComparison.Ordinal)).ToList();
        if (sites.Count == 0)
        {
            return IntLie(file, pickle, rng);
        }

        var site = sites[rng.Next(sites.Count)];
        var name = StorageNames[rng.Next(StorageNames.Length)];
        var module = rng.Next(6) == 0 ? "torch.cuda" : site.Module;
        return new(ReplaceGlobal(file, site, module, name), $"storage type {site.Module}.{site.Name} at {site.Offset} -> {module}.{name}");
    }

    public static Mutation StringEdit(byte[] file, PickleLayout pickle, Random rng)
    {
        var strings = pickle.Strings.ToList();
        if (strings.Count == 0)
        {
            return OpcodeEdit(file, pickle, rng);
        }

        var op = strings[rng.Next(strings.Count)];
        byte[] text = rng.Next(8) == 0 ? [0xff, 0xfe, (byte)'x'] : Encoding.UTF8.GetBytes(Strings[rng.Next(Strings.Length)]);
        var encoded = new byte[5 + text.Length];
        encoded[0] = (byte)PickleOpcode.BinUnicode;
        BinaryPrimitives.WriteInt32LittleEndian(encoded.AsSpan(1), text.Length);
        text.CopyTo(encoded, 5);
        return new(ByteEdits.Replace(file, op.Offset, op.Length, encoded), $"string '{op.Value}' at {op.Offset} -> {Convert.ToHexString(text)}");
    }

    /// <summary>Replaces, deletes or repeats one opcode (with its argument), or changes an opcode byte in place.</summary>
    public static Mutation OpcodeEdit(byte[] file, PickleLayout pickle, Random rng)
    {
        var op = pickle.Ops[rng.Next(pickle.Ops.Count)];
        switch (rng.Next(4))
        {
            case 0:
                return new(ByteEdits.Replace(file, op.Offset, op.Length, []), $"deleted {op.Code} at {op.Offset}");
            case 1:
                return new(ByteEdits.Replace(file, op.Offset, 0, file.AsSpan(op.Offset, op.Length)), $"repeated {op.Code} at {op.Offset}");
            case 2:
                var other = Opcodes[rng.Next(Opcodes.Length)];
                return new(ByteEdits.Replace(file, op.Offset, op.Length, [(byte)other]), $"replaced {op.Code} at {op.Offset} by bare {other}");
            default:
                var bytes = (byte[])file.Clone();
                bytes[op.Offset] = (byte)Opcodes[rng.Next(Opcodes.Length)];
                return new(bytes, $"opcode {op.Code} at {op.Offset} -> {(PickleOpcode)bytes[op.Offset]}");
        }
    }

    /// <summary>Makes an existing global (a tensor rebuild function, a storage type, OrderedDict) a hostile one.</summary>
    public static Mutation HostileReplace(byte[] file, PickleLayout pickle, Random rng)
    {
        var (module, name) = HostileGlobals[rng.Next(HostileGlobals.Length)];
        var site = pickle.Globals[rng.Next(pickle.Globals.Count)];
        return new(ReplaceGlobal(file, site, module, name), $"global {site.Module}.{site.Name} at {site.Offset} -> {module}.{name}", $"{module}.{name}");
    }

    /// <summary>Inserts <c>hostile('id')</c> and a POP (leaving the stack as it was) before a random opcode.</summary>
    public static Mutation HostileInsert(byte[] file, PickleLayout pickle, Random rng)
    {
        var (module, name) = HostileGlobals[rng.Next(HostileGlobals.Length)];
        var stack = rng.Next(2) == 0;
        var call = (stack ? new PickleBuilder().StackGlobal(module, name) : new PickleBuilder().Global(module, name))
            .Str("id").Op(PickleOpcode.Tuple1).Op(PickleOpcode.Reduce).Op(PickleOpcode.Pop).ToArray();
        var at = pickle.Ops[rng.Next(1, pickle.Ops.Count)].Offset;
        return new(ByteEdits.Replace(file, at, 0, call), $"inserted {(stack ? "STACK_GLOBAL" : "GLOBAL")} {module}.{name} call at {at}", $"{module}.{name}");
    }

    private static byte[] ReplaceGlobal(byte[] file, PickleLayout.GlobalSite site, string module, string name)
    {
        // A STACK_GLOBAL's operands may come from the memo and be shared: drop them and push fresh ones.
        var replacement = site.Stack
            ? new PickleBuilder().Op(PickleOpcode.Pop).Op(PickleOpcode.Pop).StackGlobal(module, name).ToArray()
            : new PickleBuilder().Global(module, name).ToArray();
        return ByteEdits.Replace(file, site.Offset, site.Length, replacement);
    }

    private static byte[] EncodeInt(BigInteger value)
    {
        if (value >= 0 && value <= byte.MaxValue)
        {
            return [(byte)PickleOpcode.BinInt1, (byte)value];
        }

        if (value >= 0 && value <= ushort.MaxValue)
        {
            var bytes = new byte[3];
            bytes[0] = (byte)PickleOpcode.BinInt2;
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(1), (ushort)value);
            return bytes;
        }

        if (value >= int.MinValue && value <= int.MaxValue)
        {
            var bytes = new byte[5];
            bytes[0] = (byte)PickleOpcode.BinInt;
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(1), (int)value);
            return bytes;
        }

        var digits = value.ToByteArray(isUnsigned: false, isBigEndian: false);
        return [(byte)PickleOpcode.Long1, (byte)digits.Length, .. digits];
    }
}
