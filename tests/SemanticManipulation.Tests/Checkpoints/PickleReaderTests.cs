using System.Numerics;
using SemanticManipulation.Checkpoints;
using Xunit;

namespace SemanticManipulation.Tests.Checkpoints;

/// <summary>The pickle reader builds the values of every opcode PyTorch files use and consumes exactly one pickle.</summary>
public sealed class PickleReaderTests
{
    private static readonly CheckpointSource Source = new("test.pkl");

    [Fact]
    public void Scalars_strings_and_containers()
    {
        var bytes = new PickleBuilder().Proto(4).Op(PickleOpcode.Frame).Raw(new byte[8])
            .Mark()
            .Op(PickleOpcode.None).Op(PickleOpcode.NewTrue).Op(PickleOpcode.NewFalse)
            .Int(-5).Op(PickleOpcode.BinInt1).Raw(200).Op(PickleOpcode.BinInt2).Raw(0x34, 0x12)
            .Op(PickleOpcode.Long1).Raw(2, 0xff, 0xff)                                      // -1
            .Op(PickleOpcode.Long1).Raw(9, 0, 0, 0, 0, 0, 0, 0, 0, 1)                       // 2^64
            .Op(PickleOpcode.BinFloat).Raw(0x3f, 0xf8, 0, 0, 0, 0, 0, 0)                    // 1.5, big-endian
            .Op(PickleOpcode.ShortBinUnicode).Raw(2, (byte)'h', (byte)'i').Op(PickleOpcode.Memoize)
            .Op(PickleOpcode.BinUnicode8).Raw(1, 0, 0, 0, 0, 0, 0, 0, (byte)'u')
            .Op(PickleOpcode.ShortBinString).Raw(1, 0xe9)                                    // Python 2 str, Latin-1
            .Op(PickleOpcode.BinString).Raw(1, 0, 0, 0, (byte)'s')
            .Op(PickleOpcode.ShortBinBytes).Raw(2, 1, 2)
            .Op(PickleOpcode.BinBytes).Raw(1, 0, 0, 0, 9)
            .Op(PickleOpcode.BinGet).Raw(0)                                                  // the memoized 'hi'
            .Op(PickleOpcode.Tuple)
            .Stop().ToArray();

        var value = Load(bytes);

        var items = Assert.IsType<PickleTuple>(value).Items;
        Assert.Equal<object?>(
            [null, true, false, -5L, 200L, 0x1234L, -1L, BigInteger.Pow(2, 64), 1.5, "hi", "u", "é", "s"], items.Take(13));
        Assert.Equal([1, 2], Assert.IsType<byte[]>(items[13]));
        Assert.Equal([9], Assert.IsType<byte[]>(items[14]));
        Assert.Equal("hi", items[15]);
    }

    [Fact]
    public void Lists_dicts_sets_and_tuples()
    {
        var bytes = new PickleBuilder().Proto()
            .Op(PickleOpcode.EmptyDict).Op(PickleOpcode.BinPut).Raw(1)
            .Str("list").Op(PickleOpcode.EmptyList).Int(1).Op(PickleOpcode.Append).Mark().Int(2).Int(3).Op(PickleOpcode.Appends)
            .Op(PickleOpcode.SetItem)
            .Mark()
            .Str("set").Op(PickleOpcode.EmptySet).Mark().Int(4).Op(PickleOpcode.AddItems)
            .Str("frozen").Mark().Int(5).Op(PickleOpcode.FrozenSet)
            .Str("tuples").Int(1).Int(2).Op(PickleOpcode.Tuple2).Int(1).Int(2).Int(3).Op(PickleOpcode.Tuple3)
            .Op(PickleOpcode.Tuple2)
            .Str("dict").Mark().Str("a").Int(1).Str("a").Int(2).Op(PickleOpcode.Dict)
            .Str("list2").Mark().Int(7).Op(PickleOpcode.List)
            .Str("global").Op(PickleOpcode.ShortBinUnicode).Raw(11).Raw("collections"u8.ToArray())
            .Op(PickleOpcode.ShortBinUnicode).Raw(11).Raw("OrderedDict"u8.ToArray()).Op(PickleOpcode.StackGlobal)
            .Op(PickleOpcode.EmptyTuple).Op(PickleOpcode.NewObj)
            .Str("self").Op(PickleOpcode.LongBinGet).Raw(1, 0, 0, 0)
            .Op(PickleOpcode.SetItems)
            .Str("dup").Int(1).Op(PickleOpcode.Dup).Op(PickleOpcode.Pop).Op(PickleOpcode.SetItem)
            .Stop().ToArray();

        var dict = Assert.IsType<PickleDict>(Load(bytes));

        Assert.Equal(["list", "set", "frozen", "tuples", "dict", "list2", "global", "self", "dup"], dict.Entries.Select(e => e.Key));
        Assert.Equal<object?>([1L, 2L, 3L], Assert.IsType<List<object?>>(dict.Get("list")));
        Assert.Equal<object?>([4L], Assert.IsType<PickleSet>(dict.Get("set")).Items);
        Assert.Equal<object?>([5L], Assert.IsType<PickleSet>(dict.Get("frozen")).Items);
        var tuples = Assert.IsType<PickleTuple>(dict.Get("tuples"));
        Assert.Equal(3, Assert.IsType<PickleTuple>(tuples[1]).Count);
        var inner = Assert.IsType<PickleDict>(dict.Get("dict"));
        Assert.Equal(2L, Assert.Single(inner.Entries).Value);                   // a repeated key keeps the last value
        Assert.IsType<PickleDict>(dict.Get("global"));                          // OrderedDict via NEWOBJ
        Assert.Same(dict, dict.Get("self"));                                    // memo shares the object
        Assert.Equal(1L, dict.Get("dup"));
    }

    [Fact]
    public void Globals_outside_the_allow_list_are_refused_before_anything_is_built()
    {
        var bytes = new PickleBuilder().Proto()
            .Global("os", "system").Str("rm -rf /").Op(PickleOpcode.Tuple1).Op(PickleOpcode.Reduce)
            .Stop().ToArray();

        var error = Assert.Throws<CheckpointFormatException>(() => Load(bytes));

        Assert.StartsWith("test.pkl is refused: its pickle calls os.system, which is not on the list", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_pickled_by_protocol_2_are_rebuilt_from_codecs_encode()
    {
        // Python 3 pickles bytes for protocol 2 as _codecs.encode(str, 'latin1').
        var bytes = new PickleBuilder().Proto()
            .Global("_codecs", "encode").Op(PickleOpcode.ShortBinUnicode).Raw(4, 0x00, 0xc3, 0xbf, (byte)'A').Str("latin1")
            .Op(PickleOpcode.Tuple2).Op(PickleOpcode.Reduce)
            .Stop().ToArray();

        Assert.Equal([0x00, 0xff, (byte)'A'], Assert.IsType<byte[]>(Load(bytes)));
    }

    [Fact]
    public void Torch_size_and_parameters_unwrap()
    {
        var bytes = new PickleBuilder().Proto()
            .Global("torch._utils", "_rebuild_parameter")
            .Global("torch._utils", "_rebuild_tensor_v2").Mark()
            .Mark().Str("storage").Global("torch", "HalfStorage").Str("0").Str("cpu").Int(6).Op(PickleOpcode.Tuple)
            .Op(PickleOpcode.BinPersId)
            .Int(0)
            .Global("torch", "Size").Int(2).Int(3).Op(PickleOpcode.Tuple2).Op(PickleOpcode.Tuple1).Op(PickleOpcode.Reduce)
            .Ints(3, 1).Op(PickleOpcode.NewFalse).Op(PickleOpcode.EmptyDict)
            .Op(PickleOpcode.Tuple).Op(PickleOpcode.Reduce)
            .Op(PickleOpcode.NewTrue).Op(PickleOpcode.EmptyDict).Op(PickleOpcode.Tuple3).Op(PickleOpcode.Reduce)
            .Stop().ToArray();
        StorageReference? seen = null;

        var value = Load(bytes, id =>
        {
            var record = Assert.IsType<PickleTuple>(id);
            var type = Assert.IsType<PickleGlobal>(record[1]).StorageType!;
            return seen = new StorageReference((string)record[2]!, type, (long)record[4]!);
        });

        var tensor = Assert.IsType<TensorReference>(value);
        Assert.Same(seen, tensor.Storage);
        Assert.Equal(TorchSharp.torch.ScalarType.Float16, tensor.Storage.ElementType.ScalarType);
        Assert.Equal([2L, 3], tensor.Size);
        Assert.Equal([3L, 1], tensor.Stride);
    }

    [Fact]
    public void Reads_exactly_one_pickle_and_no_further()
    {
        var first = new PickleBuilder().Proto().Int(1).Stop().ToArray();
        var second = new PickleBuilder().Proto().Str("two").Stop().ToArray();
        using var stream = new MemoryStream([.. first, .. second, 0xAA]);

        Assert.Equal(1L, new PickleReader(stream, Source, "first").Load());
        Assert.Equal(first.Length, stream.Position);
        Assert.Equal("two", new PickleReader(stream, Source, "second").Load());
        Assert.Equal(0xAA, stream.ReadByte());
    }

    [Fact]
    public void The_legacy_magic_number_is_a_big_integer()
    {
        using var stream = new MemoryStream(CheckpointBytes.LegacyHeader());

        var magic = new PickleReader(stream, Source, "magic").Load();

        Assert.Equal(BigInteger.Parse("119547037146038801333356", System.Globalization.CultureInfo.InvariantCulture), magic);
    }

    private static object? Load(byte[] bytes, Func<object?, object?>? persistentLoad = null)
    {
        using var stream = new MemoryStream(bytes);
        var value = new PickleReader(stream, Source, "test", persistentLoad).Load();
        Assert.Equal(bytes.Length, stream.Position);
        return value;
    }
}
