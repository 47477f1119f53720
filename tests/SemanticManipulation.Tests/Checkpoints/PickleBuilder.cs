using System.Buffers.Binary;
using System.Text;
using SemanticManipulation.Checkpoints;

namespace SemanticManipulation.Tests.Checkpoints;

/// <summary>Writes pickles opcode by opcode, to build malformed (and unusual but valid) checkpoints in the tests.</summary>
internal sealed class PickleBuilder
{
    private readonly List<byte> _bytes = [];

    public PickleBuilder Op(PickleOpcode opcode)
    {
        _bytes.Add((byte)opcode);
        return this;
    }

    public PickleBuilder Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public PickleBuilder Proto(int version = 2) => Op(PickleOpcode.Proto).Raw((byte)version);

    public PickleBuilder Mark() => Op(PickleOpcode.Mark);

    public PickleBuilder Stop() => Op(PickleOpcode.Stop);

    public PickleBuilder Str(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        var length = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, utf8.Length);
        return Op(PickleOpcode.BinUnicode).Raw(length).Raw(utf8);
    }

    public PickleBuilder Int(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return Op(PickleOpcode.BinInt).Raw(bytes);
    }

    public PickleBuilder Global(string module, string name) =>
        Op(PickleOpcode.Global).Raw(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));

    /// <summary>Pushes a global the protocol-4 way: its module and name as strings, then STACK_GLOBAL.</summary>
    public PickleBuilder StackGlobal(string module, string name) => Str(module).Str(name).Op(PickleOpcode.StackGlobal);

    /// <summary>Pushes a tuple of ints.</summary>
    public PickleBuilder Ints(params int[] values)
    {
        Mark();
        foreach (var value in values)
        {
            Int(value);
        }

        return Op(PickleOpcode.Tuple);
    }

    /// <summary>Pushes <c>_rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())</c>; the storage
    /// persistent id is written by <paramref name="storage"/>.</summary>
    public PickleBuilder Tensor(Action<PickleBuilder> storage, int offset, int[] size, int[] stride)
    {
        Global("torch._utils", "_rebuild_tensor_v2").Mark();
        storage(this);
        Op(PickleOpcode.BinPersId).Int(offset).Ints(size).Ints(stride).Op(PickleOpcode.NewFalse);
        Global("collections", "OrderedDict").Op(PickleOpcode.EmptyTuple).Op(PickleOpcode.Reduce);
        return Op(PickleOpcode.Tuple).Op(PickleOpcode.Reduce);
    }

    /// <summary>Pushes a zip-format storage id <c>('storage', torch.&lt;type&gt;, key, 'cpu', numel)</c>.</summary>
    public PickleBuilder ZipStorage(string key, int numel, string type = "FloatStorage") =>
        Mark().Str("storage").Global("torch", type).Str(key).Str("cpu").Int(numel).Op(PickleOpcode.Tuple);

    /// <summary>Pushes a legacy storage id <c>('storage', torch.FloatStorage, key, 'cpu', numel, view)</c>.</summary>
    public PickleBuilder LegacyStorage(string key, int numel, (string Key, int Offset, int Size)? view = null)
    {
        Mark().Str("storage").Global("torch", "FloatStorage").Str(key).Str("cpu").Int(numel);
        if (view is { } v)
        {
            Mark().Str(v.Key).Int(v.Offset).Int(v.Size).Op(PickleOpcode.Tuple);
        }
        else
        {
            Op(PickleOpcode.None);
        }

        return Op(PickleOpcode.Tuple);
    }

    public byte[] ToArray() => _bytes.ToArray();
}
